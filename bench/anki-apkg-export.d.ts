/** The little of anki-apkg-export 4.0.3 (CommonJS, untyped) the benchmark's baseline uses. */
declare module 'anki-apkg-export' {
  export interface AnkiExporter {
    addCard(front: string, back: string, options?: { tags?: string[] }): void
    save(options?: Record<string, unknown>): Promise<Uint8Array | Buffer>
  }
  const exported: { default: (deckName: string) => AnkiExporter }
  export default exported
}
