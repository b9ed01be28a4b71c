// Saving a draft (PUT …/applications/{id}): one save at a time, each
// under the version the last answer gave; changes made while a save runs
// are sent by the next one. A 409 means someone saved elsewhere (or the
// application was submitted): saving stops until the page is refreshed.
import { isApiError } from '../api/errors'

/** SaveFn sends the form as it is now under version; ledger asks for the record table back. */
export type SaveFn<V> = (version: number, ledger: boolean) => Promise<V>

/** SaverState is what the page says about saving. */
export type SaverState = 'idle' | 'saving' | 'saved' | 'failed' | 'stale'

/** Saver serializes the saves of one draft. */
export class Saver<V extends { version: number }> {
  state: SaverState = 'idle'
  error: unknown = null
  private dirty = false
  private wantLedger = false
  private running: Promise<void> | null = null
  private last: V | undefined

  constructor(
    public version: number,
    private readonly save: SaveFn<V>,
    private readonly onChange: (s: Saver<V>, saved?: V, withLedger?: boolean) => void = () => {},
  ) {}

  /**
   * request saves the form (again, if a save is running) and resolves
   * with the last answer once every requested save is done; it rejects
   * with the error of a failed one.
   */
  async request(ledger = false): Promise<V | undefined> {
    if (this.state === 'stale') throw this.error
    this.dirty = true
    this.wantLedger ||= ledger
    if (!this.running) this.running = this.loop()
    await this.running
    const after = this.state as SaverState // changed by the loop meanwhile
    if (after === 'failed' || after === 'stale') throw this.error
    return this.last
  }

  private async loop(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false
        const ledger = this.wantLedger
        this.wantLedger = false
        this.state = 'saving'
        this.onChange(this)
        try {
          const v = await this.save(this.version, ledger)
          this.version = v.version
          this.last = v
          this.error = null
          this.state = 'saved'
          this.onChange(this, v, ledger)
        } catch (e) {
          this.error = e
          this.state = isApiError(e) && e.status === 409 ? 'stale' : 'failed'
          if (ledger) this.wantLedger = true // the next save asks for the table again
          this.dirty = false
          this.onChange(this)
          return
        }
      }
    } finally {
      this.running = null
    }
  }
}
