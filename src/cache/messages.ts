/**
 * Cached values that hold diagnostics. Diagnostics are vfile messages (Error subclasses), which
 * the structured clone would reduce to a bare Error: they are stored as their own properties and
 * made into messages again on reading.
 */
import { VFileMessage } from 'vfile-message'
import { adopt, type Diagnostic } from '../diagnostics.ts'

export type Stored<T> = Omit<T, 'diagnostics'> & { diagnostics: StoredMessage[] }
type StoredMessage = [name: string, value: unknown, enumerable: boolean][]

export function freeze<T extends { diagnostics: Diagnostic[] }>(value: T): Stored<T> {
  return { ...value, diagnostics: value.diagnostics.map(freezeMessage) }
}

function freezeMessage(message: VFileMessage): StoredMessage {
  return Object.getOwnPropertyNames(message)
    .filter((name) => name !== 'severity')
    .map((name) => {
      const value = (message as unknown as Record<string, unknown>)[name]
      const enumerable = Object.getOwnPropertyDescriptor(message, name)?.enumerable ?? false
      return [name, value instanceof VFileMessage ? { message: freezeMessage(value) } : value, enumerable]
    })
}

export function thaw<T extends { diagnostics: Diagnostic[] }>(value: Stored<T> | undefined): T | undefined {
  if (!value || !Array.isArray(value.diagnostics)) return undefined
  return { ...value, diagnostics: value.diagnostics.map((stored) => adopt(thawMessage(stored))) } as unknown as T
}

function thawMessage(stored: StoredMessage): VFileMessage {
  const message = Object.create(VFileMessage.prototype) as VFileMessage
  for (const [name, value, enumerable] of stored) {
    const nested = value && typeof value === 'object' && 'message' in value && Array.isArray(value.message) ? thawMessage(value.message as StoredMessage) : value
    Object.defineProperty(message, name, { value: nested, enumerable, writable: true, configurable: true })
  }
  return message
}
