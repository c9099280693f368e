import { describe, expect, it } from 'vitest'
import * as cheatdeck from '../src/index.ts'

describe('the public surface', () => {
  it('exports exactly the library functions (changing this list is a breaking change)', () => {
    expect(Object.keys(cheatdeck).sort()).toEqual(['OUTPUTS', 'RULES', 'build', 'cards', 'check', 'compile', 'createSheetBrowserPool', 'currentTime', 'formatCard', 'formatReport', 'init', 'watchBuild'])
  })
})
