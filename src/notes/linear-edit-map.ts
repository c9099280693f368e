/**
 * micromark's `EditMap.consume` (micromark-util-edit-map 1.0.0, the latest; its repository's
 * main branch too) rebuilds the whole event list for every batch of edits, though the edits
 * touch only its end. micromark calls it each time a list or block quote closes after a
 * paragraph, so a file with many sections parses in time that grows with the square of its
 * size: 10 000 one-item sections (200 kB) took five minutes. This replaces it, once, with one
 * that rebuilds the list from the first edit on: the same events in the same order (the syntax
 * fixtures and the bad-input corpus parse to the same trees), in time that grows with the edits.
 */
import { EditMap } from 'micromark-util-edit-map'

type Event = EditMap['map'][number][2][number]

/** micromark's own method, kept for an EditMap built differently (and for the test that compares the two). */
export const original = EditMap.prototype.consume

function consumeFromFirstEdit(this: EditMap, events: Event[]): undefined {
  const { map, index } = this as Partial<EditMap>
  // A micromark whose EditMap is built differently keeps its own method.
  if (!Array.isArray(map) || !(index instanceof Map)) return original.call(this, events)
  map.sort((a, b) => a[0] - b[0])
  const first = map[0]?.[0]
  if (first === undefined) return undefined
  const rebuilt: Event[] = []
  let cursor = first
  for (const [at, remove, add] of map) {
    while (cursor < at) rebuilt.push(events[cursor++] as Event)
    for (const event of add) rebuilt.push(event)
    cursor = at + remove
  }
  while (cursor < events.length) rebuilt.push(events[cursor++] as Event)
  events.length = first
  for (const event of rebuilt) events.push(event)
  map.length = 0
  index.clear()
  return undefined
}

EditMap.prototype.consume = consumeFromFirstEdit
