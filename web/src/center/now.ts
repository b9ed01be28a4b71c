// The server's time in the browser, for the 48-hour clocks. The API's
// answers about applications carry no "now", so the portal asks the
// health route (its time is the server's clock, Asia/Shanghai) once per
// page load and keeps the difference.
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'
import { api } from '../api/client'
import { offsetOf } from './clock'

let offset: Promise<number> | null = null

/** serverOffset is the server's clock minus the browser's, in ms (asked once). */
export function serverOffset(): Promise<number> {
  if (!offset) {
    const sent = Date.now()
    offset = api.GET('/api/v1/health').then(
      (r) => offsetOf(r.data?.time, sent, Date.now()),
      () => 0,
    )
  }
  return offset
}

/**
 * useServerNow is the server's time (ms), moved on every 30 seconds while
 * the component is mounted; ready turns true once the offset is known.
 */
export function useServerNow(every = 30_000): { now: Ref<number>; ready: Ref<boolean> } {
  const now = ref(Date.now())
  const ready = ref(false)
  let diff = 0
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(async () => {
    diff = await serverOffset()
    now.value = Date.now() + diff
    ready.value = true
    timer = setInterval(() => (now.value = Date.now() + diff), every)
  })
  onBeforeUnmount(() => clearInterval(timer))
  return { now, ready }
}
