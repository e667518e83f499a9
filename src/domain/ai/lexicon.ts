// A compact English sentiment lexicon for support conversations: valence from -4 (furious) to +4
// (delighted). Written for this product, not copied: it leans on what customers write to a help desk,
// so "broken", "still", "escalate" and "refund" carry weight and "issue" or "ticket" carry none; words
// that are mostly neutral in IT tickets ("hard" drive, "clear" the cache, please "fix") are left out.
// Words are looked up as written and by their stem (see text.ts), so inflections need no entries.

const ENTRIES: Record<number, string> = {
  [-4]: `furious outraged outrageous disgusting disgraceful horrendous horrible atrocious unacceptable
    scam fraud lawsuit lawyer livid appalling abysmal worst hate hated pathetic infuriating incompetent
    incompetence nightmare shameful`,
  [-3]: `terrible awful useless ridiculous angry disgusted disappointing disappointed disappointment
    frustrating frustrated frustration rude lied lying liar unprofessional joke garbage rubbish
    worthless disaster disastrous hopeless unbearable unusable ignored ignoring dreadful inexcusable
    shocking shocked threat threaten complaint complain furiously insulting
    misleading dishonest stolen horrid scandalous`,
  [-2]: `bad poor broken broke crash crashed crashing fail failed failing failure fault faulty wrong
    annoying annoyed upset unhappy sad worse worried worry concerned concern unreliable slow slowly lost
    lose losing missing damaged defective error errors bug buggy stuck confusing confused unclear delay
    delayed late overdue unresolved unanswered difficult painful problem problems trouble struggling
    struggle inconvenient inconvenience mess messed refund chargeback escalate escalating escalation
    impossible endless waste wasted wasting sorry apologize unfortunately hassle stressful
    stress sick outage down dead freeze frozen hang hanging leak leaking corrupt corrupted
    denied declined rejected penalty overcharged glitch glitches malfunction
    malfunctioning inoperable unresponsive laggy lagging bounced`,
  [-1]: `still again yet waiting wait waited minor odd weird strange meh bored mediocre
    lacking limited unsure doubt doubtful hesitant tired busy complicated expensive pricey awkward
    reminder chasing chase repeat repeated repeatedly urgent urgently cancel cancelling
    cancellation`,
  1: `ok okay fine thanks thank thx cheers noted sure glad working works solved
    reasonable fair decent acceptable calm patience patient hope hopeful understand understood quick
    quickly prompt promptly fast easy easier stable`,
  2: `good nice helpful happy pleased resolved fixed smooth smoothly appreciate appreciated
    appreciation grateful thankful kind friendly polite responsive efficient reliable useful
    recommend satisfied satisfying relieved relief improved improvement better success successful
    professional clean welcome thorough courteous`,
  3: `great excellent awesome fantastic wonderful brilliant superb perfect perfectly impressive
    impressed delighted love loved lovely amazing outstanding exceptional magnificent terrific
    lifesaver hero thrilled stellar fabulous marvellous`,
  4: `flawless phenomenal extraordinary overjoyed ecstatic spectacular perfection`,
};

export const LEXICON: ReadonlyMap<string, number> = new Map(
  Object.entries(ENTRIES).flatMap(([valence, words]) =>
    words
      .split(/\s+/)
      .filter(Boolean)
      .map((word) => [word, Number(valence)] as const),
  ),
);

/** Words that turn the sentiment of what follows around ("not happy", "never fixed"). */
export const NEGATIONS: ReadonlySet<string> = new Set(
  `not no never none nobody nothing neither nor without hardly barely cannot can't won't don't doesn't
   didn't isn't aren't wasn't weren't haven't hasn't hadn't shouldn't wouldn't couldn't ain't dont doesnt
   didnt isnt wasnt cant wont havent hasnt`.split(/\s+/),
);

/** Multipliers for the next sentiment word: "very helpful" counts more than "helpful". */
export const INTENSIFIERS: ReadonlyMap<string, number> = new Map([
  ["very", 1.5],
  ["really", 1.4],
  ["extremely", 1.8],
  ["incredibly", 1.8],
  ["absolutely", 1.7],
  ["totally", 1.5],
  ["completely", 1.6],
  ["utterly", 1.8],
  ["so", 1.4],
  ["too", 1.3],
  ["super", 1.5],
  ["highly", 1.5],
  ["truly", 1.4],
  ["deeply", 1.5],
  ["seriously", 1.5],
  ["terribly", 1.6],
  ["most", 1.3],
  ["quite", 1.1],
  ["rather", 0.9],
  ["slightly", 0.6],
  ["somewhat", 0.7],
  ["little", 0.7],
  ["bit", 0.7],
  ["kinda", 0.7],
  ["fairly", 0.8],
  ["mostly", 0.8],
  ["almost", 0.7],
]);
