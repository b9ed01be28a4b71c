// 长辈模式: extra-large text and high contrast, remembered in localStorage.

/** KEY is the localStorage key of the setting. */
export const KEY = 'hrss.elderMode'

/** CLASS is set on <html> while the mode is on (see styles/theme.css). */
export const CLASS = 'elder-mode'

type Store = Pick<Storage, 'getItem' | 'setItem'>

/** readElder reports the remembered setting; off when storage is unavailable. */
export function readElder(store: Store | undefined): boolean {
  try {
    return store?.getItem(KEY) === 'on'
  } catch {
    return false
  }
}

/** writeElder remembers the setting; a full or blocked storage only forgets it. */
export function writeElder(store: Store | undefined, on: boolean): void {
  try {
    store?.setItem(KEY, on ? 'on' : 'off')
  } catch {
    /* private mode: the switch still works for this page */
  }
}

/** applyElder sets or clears the mode's class on the root element. */
export function applyElder(root: { classList: DOMTokenList }, on: boolean): void {
  root.classList.toggle(CLASS, on)
}
