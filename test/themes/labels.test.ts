// Theme labels: at most three terms, no stop word of a published English list, no corpus-wide word, acronyms in capitals.

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildVocabulary, labelGroups } from '../../src/themes/labels.js';

const STOPWORDS_ISO = new Set((createRequire(import.meta.url)('stopwords-iso') as { en: string[] }).en);

const graphs = [
  'Graph neural networks (GNNs) pass messages between nodes of a molecular graph. We show that GNNs predict molecular properties.',
  'A GNN with attention over graph nodes improves molecular property prediction in this novel and effective study.',
  'Message passing GNNs on molecular graphs: a significantly better approach for node classification.',
  'We study over-smoothing in deep GNNs, where node features of a graph become similar after message passing.',
];
const speech = [
  'Speech recognition with LLMs: the acoustic model feeds an LLM that decodes speech transcripts.',
  'LLMs rescore speech recognition hypotheses from an acoustic model, reducing word error rate.',
  'An LLM-based speech recognition system with an acoustic encoder; results show it is robust.',
  'Acoustic features and LLMs for speech recognition on noisy recordings.',
];
// "zorblat" is in every document: generic for this corpus, so it names nothing.
const texts = [...graphs, ...speech].map((t) => `${t} Zorblat.`);

/**
 * The terms labelGroups names `texts` by when they are one group beside the group `others` (the speech abstracts by
 * default); `central` lists the group's central texts by their place in `texts` (all of them by default).
 */
function termsOf(texts: readonly string[], options: { others?: readonly string[]; central?: readonly number[] } = {}): string[] {
  const others = options.others ?? speech;
  const at = (i: number) => others.length + i;
  const own = others.map((_, i) => i);
  const named = labelGroups(buildVocabulary([...others, ...texts]), [
    { docs: own, central: own },
    { docs: texts.map((_, i) => at(i)), central: (options.central ?? texts.map((_, i) => i)).map(at) },
  ]);
  return named[1]?.terms.map((t) => t.term) ?? [];
}

describe('labelGroups', () => {
  const vocab = buildVocabulary(texts);
  const groups = [
    { docs: [0, 1, 2, 3], central: [0, 1, 2, 3] },
    { docs: [4, 5, 6, 7], central: [4, 5, 6, 7] },
  ];
  const labels = labelGroups(vocab, groups);

  it('names each group with its own words, acronyms in capitals', () => {
    expect(labels[0]?.label).toMatch(/GNN|molecular|message passing/);
    expect(labels[1]?.label).toMatch(/speech recognition|acoustic|LLM/);
    expect(labels.flatMap((l) => l.terms.map((t) => t.term))).toContain('LLM');
  });

  it('shows at most three terms and no stop word, evaluative word or corpus-wide word', () => {
    for (const l of labels) {
      expect(l.label.split(' · ').length).toBeLessThanOrEqual(3);
      const words = l.terms.flatMap((t) => t.term.toLowerCase().split(/[\s-]+/));
      for (const w of words) expect(STOPWORDS_ISO.has(w), w).toBe(false);
      expect(words).not.toContain('zorblat');
      for (const w of ['novel', 'effective', 'significantly', 'robust', 'results']) expect(words).not.toContain(w);
    }
  });

  it('only names a group with terms found in its central papers', () => {
    // Only the first paper of the speech group is central: "noisy recordings" (paper 4 only) cannot name it.
    const narrow = labelGroups(vocab, [groups[0] as { docs: number[]; central: number[] }, { docs: [4, 5, 6, 7], central: [4] }], { centralShare: 1 });
    for (const t of narrow[1]?.terms ?? []) expect(texts[4]?.toLowerCase()).toContain(t.term.toLowerCase().replace(/s$/, ''));
  });

  it('never names a group with a word its papers use as a verb, and keeps one they use as a noun', () => {
    // "occur" and "overcome" are as distinctive of the transfer group as "transfer", but say what happens, not what
    // the papers are about; "transfer" is used as a noun ("negative transfer"), though alone it reads as a verb too.
    const transfer = [
      'Negative transfer can occur when tasks conflict; we overcome negative transfer with gradient surgery.',
      'Conflicts occur between task gradients, and negative transfer follows; our projection overcomes it.',
      'When negative transfer and gradient conflicts occur, task weighting helps to overcome the interference.',
      'Gradient conflicts occur often; negative transfer is what they cause, and we overcome it by projection.',
    ];
    const words = termsOf(transfer, { others: graphs });
    expect(words.join(' · ')).toMatch(/transfer/);
    expect(words).not.toContain('occur');
    expect(words).not.toContain('overcome');
  });

  it('shows an acronym as it is written: LoRA, not LORA; STS is not the plural of ST', () => {
    const lora = [
      'LoRA adapters fine-tune a frozen model; we score them on the STS benchmark.',
      'Low-rank LoRA adapters for sentence similarity: results on STS and retrieval.',
      'We merge LoRA adapters trained for STS and for classification.',
      'STS scores of LoRA adapters with low-rank updates.',
    ];
    const terms = termsOf(lora);
    const words = terms.flatMap((t) => t.split(' '));
    expect(words).toContain('LoRA');
    expect(words).not.toContain('LORA');
    expect(words).toContain('STS');
    expect(words).not.toContain('ST');
  });

  it('keeps the capitals a word always has (English, GPT-2, 3D), and not those of a sentence start', () => {
    const english = [
      'Translation from English with GPT-2 reaches 3D scenes. Translation quality is measured.',
      'We prompt GPT-2 in English and in other languages; translation into 3D captions follows.',
      'Translation of English text by GPT-2 for 3D assets.',
      'Translation: English prompts, GPT-2 outputs and 3D renders.',
    ];
    const words = termsOf(english).flatMap((t) => t.split(' '));
    expect(words).toEqual(expect.arrayContaining(['English', 'GPT-2', '3D', 'translation']));
  });

  it('does not name a group by a phrase and, again, by its acronym inside another term', () => {
    const gnn = [
      'Graph neural networks stack GNN layers over molecule graphs.',
      'We study graph neural networks whose GNN layers pass messages between atoms.',
      'Deeper graph neural networks: GNN layers over-smooth molecule graphs.',
      'Graph neural networks with attention in their GNN layers for molecule property prediction.',
    ];
    const terms = termsOf(gnn);
    expect(terms).toContain('graph neural networks');
    expect(terms.filter((t) => /\bGNN\b/.test(t))).toEqual([]);
  });

  it('does not name a group by a mixed-case acronym and its expansion (LoRA, low-rank adaptation)', () => {
    const lora = [
      'LoRA fine-tunes language models by low-rank adaptation of their attention weights with adapters.',
      'We extend LoRA: low-rank adaptation with a shared basis across adapters for language models.',
      'Low-rank adaptation (LoRA) of language models with fewer trainable adapters.',
      'LoRA adapters for language models: low-rank adaptation at a fraction of the cost.',
    ];
    const terms = termsOf(lora);
    expect(terms.filter((t) => /\bLoRA\b|low-rank adaptation/i.test(t))).toHaveLength(1);
  });

  it('never names a group with an adverb, even one used only twice', () => {
    const sharing = [
      'We formally define negative sharing between tasks in multi-task learning.',
      'Negative sharing is formally analysed for multi-task learning with shared layers.',
      'Multi-task learning without negative sharing, with task-specific layers.',
      'Negative sharing in multi-task learning: when shared layers hurt a task.',
    ];
    const terms = termsOf(sharing);
    expect(terms).toContain('negative sharing');
    expect(terms).not.toContain('formally');
  });

  it('never names a group with LaTeX markup', () => {
    const codes = [
      'Polar codes over $\\mathbb{F}_q$ reach capacity; the decoder is \\textbf{fast} on the channel.',
      'We bound the rate of codes in $\\mathbb{F}_2^n$ for the erasure channel, with \\textbf{list decoding}.',
      'Channel codes with $\\mathbb{R}$-valued weights: a \\textbf{decoder} for the channel.',
      'Codes for the channel over $\\mathbb{F}_q$ and their \\textbf{decoding} complexity.',
    ];
    const words = termsOf(codes).flatMap((t) => t.toLowerCase().split(/\s+/));
    expect(words).toContain('channel');
    expect(words).not.toContain('mathbb');
    expect(words).not.toContain('textbf');
  });

  it('never names a group with the name of a shared-task team, and keeps a model a team is named after', () => {
    const emotion = [
      'NTUA-SLP at SemEval-2018 Task 1: emotion intensity in tweets with attentive RNN. The NTUA-SLP system ranks first.',
      'NTUA-SLP at IEST 2018: emotion classification of tweets by transfer learning; we describe the NTUA-SLP submission.',
      'Emotion intensity of tweets, as in the NTUA-SLP system, predicted with RNN and transfer learning.',
      'BERT at SemEval-2020 Task 8: emotion classification of tweets with BERT and an attentive RNN.',
      'Emotion classification of tweets with BERT, fine-tuned, against an RNN.',
      'Emotion intensity in tweets with BERT features and an RNN.',
    ];
    const words = termsOf(emotion).flatMap((t) => t.split(/\s+/));
    expect(words).toContain('tweets');
    expect(words).toContain('BERT');
    expect(words).not.toContain('NTUA-SLP');
  });

  it('joins two chosen words that are one name in use (Nash equilibrium), not in two terms', () => {
    const games = [
      'A Nash equilibrium of auction games: each player bids, and the equilibrium is unique.',
      'The Nash equilibrium of matrix games, computed by each player in polynomial time.',
      'Players of congestion games reach an equilibrium; we bound its cost with Nash dynamics.',
      'Auction games and their equilibrium: a player learns by Nash regret.',
      'Equilibrium refinements for games, where every player follows Nash play.',
    ];
    // The phrase itself is not a candidate (it is not in the group's central papers, the last three): the two words are.
    const terms = termsOf(games, { central: [2, 3, 4] });
    expect(terms).toContain('Nash equilibrium');
    expect(terms).not.toContain('equilibrium');
  });

  it('does not name a group by a word and, again, by its Latin plural (equilibrium, equilibria)', () => {
    const games = [
      'Nash equilibria of auction games: players bid and equilibria exist; we compute the Nash equilibrium.',
      'Computing a Nash equilibrium of matrix games: equilibria of two-player games.',
      'Players of congestion games and their Nash equilibrium; we show equilibria are efficient.',
      'Auction games, equilibria and the Nash equilibrium players reach.',
    ];
    const words = termsOf(games).flatMap((t) => t.split(/\s+/));
    expect(words.filter((w) => /^equilibri/i.test(w))).toHaveLength(1);
  });

  it('names a method by its whole name, not a two-word piece of it', () => {
    // "convolutional neural" is followed by "networks" in every use: the label says "convolutional neural networks".
    const cnn = [
      'Convolutional neural networks classify skin lesion images from dermoscopy.',
      'We train convolutional neural networks on lesion images and compare dermoscopy features.',
      'Lesion segmentation with convolutional neural networks and dermoscopy images.',
      'Dermoscopy lesion images are classified by convolutional neural networks.',
    ];
    const terms = termsOf(cnn);
    expect(terms).toContain('convolutional neural networks');
    expect(terms).not.toContain('convolutional neural');
    // Its words are used: no other term repeats "networks".
    expect(terms.filter((t) => /\bnetworks?\b/.test(t))).toHaveLength(1);
  });

  it('names a dataset or model by its name, not by the name and a generic word after it', () => {
    const dialogue = [
      'Task-oriented dialogue on the MultiWOZ datasets with a belief tracker.',
      'We evaluate dialogue state tracking on MultiWOZ datasets and report joint goal accuracy.',
      'MultiWOZ: dialogue state tracking with slot values, on MultiWOZ datasets.',
      'Dialogue state tracking: MultiWOZ results for a task-oriented system.',
    ];
    const terms = termsOf(dialogue);
    expect(terms).toContain('MultiWOZ');
    expect(terms).not.toContain('MultiWOZ datasets');
  });

  it('lengthens a phrase used only twice when both uses go on with the same word', () => {
    const tweets = [
      'Emotion intensity of tweets from word2vec word embeddings trained on tweets.',
      'Emotion classification of tweets, pretraining word2vec word embeddings on tweets.',
      'Emotion intensity regression for tweets with an LSTM.',
      'Emotion classification of tweets with an LSTM and attention.',
    ];
    const terms = termsOf(tweets);
    expect(terms).toContain('word2vec word embeddings');
    expect(terms).not.toContain('word2vec word');
  });
});
