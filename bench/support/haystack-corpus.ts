/**
 * The deterministic corpus shared by both sides of bench/haystack-vs-python.bench.ts: documents and
 * queries from a seeded PRNG, so the TypeScript port and Python Haystack read the very same text.
 *
 * Words follow a Zipf-like draw over a syllable-built vocabulary (common words are common, as in
 * real text), with sentence capitals, commas, full stops, hyphens, apostrophes, digits and a few
 * non-ASCII words, so the tokenizer (lowercasing, Python's Unicode `\w`) is exercised too.
 */

export interface BenchDocument {
  id: string;
  content: string;
}

export interface BenchCorpus {
  documents: BenchDocument[];
  queries: string[];
}

/** mulberry32: a tiny, well-mixed 32-bit PRNG; the same seed always gives the same stream. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "shi", "vo", "pe", "da", "zu", "gri", "an", "el", "or", "bi", "sto", "wen"];
const SPECIAL_WORDS = ["café", "naïve", "zürich", "straße", "東京", "ελλάδα", "москва", "smørrebrød", "x86_64", "2024", "3d", "don't", "e-mail"];

function buildVocabulary(random: () => number, size: number): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  while (words.length < size) {
    let w = "";
    const syllables = 1 + Math.floor(random() * 4);
    for (let s = 0; s < syllables; s++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  // Spread the special words over the frequency range instead of all at the rare end.
  SPECIAL_WORDS.forEach((w, i) => {
    words[Math.floor(((i + 1) * size) / (SPECIAL_WORDS.length + 2))] = w;
  });
  return words;
}

const capitalize = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** Builds `documentCount` documents (ids `doc-00000`…), `queryCount` random 1–5 word queries and four fixed ones. */
export function generateCorpus(options: { documentCount: number; queryCount: number; vocabulary?: number; seed?: number }): BenchCorpus {
  const random = mulberry32(options.seed ?? 20260720);
  const vocabulary = buildVocabulary(random, options.vocabulary ?? 5000);
  const word = (): string => vocabulary[Math.floor(vocabulary.length * random() ** 3)] as string;

  const documents: BenchDocument[] = [];
  for (let i = 0; i < options.documentCount; i++) {
    const length = 20 + Math.floor(random() * 180);
    let text = "";
    let sentenceStart = true;
    for (let w = 0; w < length; w++) {
      let token = word();
      if (random() < 0.02) token += `-${word()}`;
      if (sentenceStart) token = capitalize(token);
      sentenceStart = false;
      text += token;
      const r = random();
      if (w === length - 1 || r < 0.06) {
        text += ". ";
        sentenceStart = true;
      } else text += r < 0.12 ? ", " : " ";
    }
    documents.push({ id: `doc-${String(i).padStart(5, "0")}`, content: text.trimEnd() });
  }

  const queries: string[] = [];
  for (let q = 0; q < options.queryCount; q++) {
    const terms = Array.from({ length: 1 + Math.floor(random() * 5) }, word);
    if (q % 7 === 3) terms.push(terms[0] as string); // a repeated word counts once in Haystack
    if (q % 11 === 5) terms.push("qqzzyx"); // a word the corpus lacks
    let text = terms.join(" ");
    if (q % 3 === 0) text = `${capitalize(text)}?`;
    queries.push(text);
  }
  // Tokenizer parity: non-ASCII letters, digits, underscores, apostrophes and hyphens in queries.
  queries.push("Café in Zürich?", "東京 STRASSE straße москва", "x86_64 don't e-mail 2024 3D");
  queries.push("Nothing qqzzyx matches xxyyzz"); // only unknown words: BM25L/Plus return nothing
  return { documents, queries };
}
