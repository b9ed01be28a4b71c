import { describe, expect, it } from 'vitest'
import { CLASS, KEY, applyElder, readElder, writeElder } from './elder'

function memory(): Storage {
  const m = new Map<string, string>()
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    clear: () => m.clear(),
    key: () => null,
    get length() {
      return m.size
    },
  }
}

describe('长辈模式 setting', () => {
  it('is off until switched on, and remembered', () => {
    const s = memory()
    expect(readElder(s)).toBe(false)
    writeElder(s, true)
    expect(s.getItem(KEY)).toBe('on')
    expect(readElder(s)).toBe(true)
    writeElder(s, false)
    expect(readElder(s)).toBe(false)
  })
  it('survives a storage that throws or is missing', () => {
    const broken = {
      getItem: () => {
        throw new Error('blocked')
      },
      setItem: () => {
        throw new Error('quota')
      },
    }
    expect(readElder(broken)).toBe(false)
    expect(() => writeElder(broken, true)).not.toThrow()
    expect(readElder(undefined)).toBe(false)
  })
  it('sets and clears the root class', () => {
    const set = new Set<string>()
    const root = {
      classList: { toggle: (c: string, on?: boolean) => (on ? set.add(c) : set.delete(c), !!on) } as unknown as DOMTokenList,
    }
    applyElder(root, true)
    expect(set.has(CLASS)).toBe(true)
    applyElder(root, false)
    expect(set.has(CLASS)).toBe(false)
  })
})
