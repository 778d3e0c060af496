/**
 * The offline entity extractor: the people, places, organisations and things a text names, found
 * by rules in microseconds, with no model and no network (so that it runs on every add, on a
 * fresh clone). `compromise` was measured first: it finds more, but at ~2.9 ms a chat turn it
 * alone would break the add's budget (+1 ms p50).
 *
 * - A chat turn's speaker label (`Caroline: …`) is a person.
 * - A run of capitalised words ("Monterey Bay Aquarium", "Mud & Fire", "Ji-woo") is a name, except
 *   a lone common word at the start of a sentence ("Thanks", "Yesterday") and calendar words,
 *   which the date parser reads. "of", "&", "de", "the" may join capitalised words.
 * - "my mum", "my sister": kin of the one who speaks, one entity per relation whatever the word
 *   ("mom", "mum", "mother" are the same entity, the words its aliases).
 * The type is a guess from the words around the name; it only decides how the entity is shown.
 *
 * Names are matched by their key: lower case, without accents and a trailing possessive.
 */

export const ENTITY_TYPES = ['PERSON', 'PLACE', 'ORGANIZATION', 'PET', 'THING', 'EVENT', 'OTHER'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface FoundEntity {
  /** What entities are matched by (see entityKey). */
  key: string;
  /** The name as first written. */
  name: string;
  type: EntityType;
  /** The ways this text wrote it. */
  aliases: string[];
  /**
   * Only a capitalised word opening a chat turn or a later sentence: it may be a name ("Pepper was
   * sick") or not ("Exactly."), so it links the text to an entity the user already has but creates none.
   */
  weak: boolean;
}

/** At most this many entities are taken from one text (a pasted list of names is not a memory of each). */
export const ENTITIES_PER_TEXT = 24;
const NAME_WORDS = 5;

/** Lower case, no accents, no trailing possessive, single spaces: how names are compared. */
export function entityKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s?$/u, '')
    .replace(/[^\p{L}\p{N}&'’-]+/gu, ' ')
    .trim();
}

const KIN: Record<string, string> = {
  mum: 'mother',
  mom: 'mother',
  mother: 'mother',
  mama: 'mother',
  mummy: 'mother',
  mommy: 'mother',
  dad: 'father',
  father: 'father',
  papa: 'father',
  daddy: 'father',
  sister: 'sister',
  brother: 'brother',
  wife: 'wife',
  husband: 'husband',
  partner: 'partner',
  girlfriend: 'girlfriend',
  boyfriend: 'boyfriend',
  fiance: 'fiancé',
  fiancee: 'fiancée',
  fiancé: 'fiancé',
  fiancée: 'fiancée',
  son: 'son',
  daughter: 'daughter',
  grandmother: 'grandmother',
  grandma: 'grandmother',
  gran: 'grandmother',
  granny: 'grandmother',
  nan: 'grandmother',
  grandfather: 'grandfather',
  grandpa: 'grandfather',
  grandad: 'grandfather',
  aunt: 'aunt',
  auntie: 'aunt',
  uncle: 'uncle',
  cousin: 'cousin',
  niece: 'niece',
  nephew: 'nephew',
  boss: 'boss',
  manager: 'boss',
  roommate: 'roommate',
  flatmate: 'roommate',
  dog: 'dog',
  puppy: 'dog',
  cat: 'cat',
  kitten: 'cat',
};
const PETS = new Set(['dog', 'cat']);
const PET_WORDS =
  /^(dog|puppy|cat|kitten|horse|pony|rabbit|bunny|hamster|parrot|bird|fish|tortoise|turtle|lizard|snake|goat|hen|chicken|pig)s?$/iu;

/** Words that are capitalised for their place in a sentence, not because they name something. */
const COMMON = new Set(
  `a an the i i'm i've i'd i'll im ive id my me mine we we're we've our us you you're you've your yours he he's his him she she's her hers
  it it's its they they're their them this that these those there there's here what what's who who's whom whose which when where why how
  and but or so if then than because as at by for from in into of on onto to up with without about after before over under again also
  just only even still yet not no nope yes yeah yep ok okay oh ah ha haha hah hey hi hello hmm wow well sure right thanks thank please
  sorry congrats congratulations great good nice cool awesome amazing lovely fine true wait look listen anyway honestly actually maybe
  probably definitely totally really seriously literally apparently basically luckily sadly hopefully unfortunately fortunately
  let let's can can't could couldn't would wouldn't should shouldn't will won't do don't does doesn't did didn't is isn't was wasn't
  are aren't were weren't have haven't has hasn't had hadn't be been being am get got go going went come came take took make made
  some any all every each both either neither none one two three four five six seven eight nine ten first second last next other another
  most more many much few less least lots plenty such same new old big little long short today tonight tomorrow yesterday now later soon
  once twice never always sometimes often usually ever happy merry good-bye bye goodbye cheers dear mr mrs ms dr
  speaking talking thinking trying hoping guess glad love loved hate hated miss missed hope wish need want like
  poor little morning evening afternoon`.split(/\s+/u),
);

const CALENDAR = new Set(
  `january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
  monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun christmas easter`.split(
    /\s+/u,
  ),
);

/** "You'll", "It'd": capitalised at a sentence's start, never a name. */
const CONTRACTION = /['’](ll|d|re|ve|m|t)$|n['’]t$/iu;
const JOINERS = new Set(['of', '&', 'de', 'the', 'van', 'von', 'da', 'del', 'la', 'le']);
const ORGANIZATION_WORDS =
  /\b(inc|ltd|llc|gmbh|corp|company|co|society|aquarium|university|college|school|academy|bank|hospital|clinic|museum|library|club|institute|foundation|studio|studios|cafe|café|restaurant|bar|brewery|bakery|shop|store|market|team|agency|group|labs?|church|gym|association|council|ministry|department|fc)$/iu;
const PLACE_WORDS =
  /\b(street|st|road|rd|avenue|ave|park|lake|river|mountain|mount|mt|beach|bay|island|city|town|village|county|state|country|valley|bridge|square|station|airport|trail|coast|hill|hills)$/iu;

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*|&/gu;
const SPEAKER = /^\s*(\p{Lu}[\p{L}'’-]{0,40}):\s/u;

interface Token {
  text: string;
  start: number;
  end: number;
  /** First word of a sentence (or of the text, or after the speaker label). */
  sentenceStart: boolean;
}

function tokens(text: string, from: number): Token[] {
  const found: Token[] = [];
  let sentenceStart = true;
  let last = from;
  for (const match of text.slice(from).matchAll(WORD)) {
    const start = from + match.index;
    const between = text.slice(last, start);
    if (/[.!?…:;"“]|\n/u.test(between)) sentenceStart = true;
    found.push({ text: match[0], start, end: start + match[0].length, sentenceStart });
    sentenceStart = false;
    last = start + match[0].length;
  }
  return found;
}

const capitalised = (word: string) => /^\p{Lu}/u.test(word);
/** A word that opens a sentence or greets: not a name ("Thanks", "Honestly", "Monday"). */
const ordinary = (word: string) => COMMON.has(lower(word)) || CALENDAR.has(lower(word)) || /^\p{L}+ly$/u.test(word);
const lower = (word: string) => word.toLowerCase().replace(/['’]s$/u, '');

/** The words before a name that tell its type. */
function typeOf(name: string, before: string | undefined, twoBefore: string | undefined): EntityType {
  if (ORGANIZATION_WORDS.test(name)) return 'ORGANIZATION';
  if (PLACE_WORDS.test(name)) return 'PLACE';
  if (before && /^(in|to|from|near|visit|visiting|visited|around|across)$/iu.test(before)) return 'PLACE';
  if (before && /^(named|called)$/iu.test(before) && PET_WORDS.test(twoBefore ?? '')) return 'PET';
  if (before && /^(named|called|mr|mrs|ms|dr|aunt|uncle|cousin|friend|with|told|asked|met)$/iu.test(before))
    return 'PERSON';
  return 'OTHER';
}

/** The entities a text names (at most ENTITIES_PER_TEXT), each once, in the order they first appear. */
export function extractEntities(text: string): FoundEntity[] {
  const found = new Map<string, FoundEntity>();
  const add = (name: string, type: EntityType, key = entityKey(name), weak = false) => {
    if (key.length < 2 || (found.size >= ENTITIES_PER_TEXT && !found.has(key))) return;
    const entity = found.get(key);
    if (!entity) return void found.set(key, { key, name, type, aliases: [name], weak });
    if (!entity.aliases.includes(name)) entity.aliases.push(name);
    entity.weak &&= weak;
    if (entity.type === 'OTHER') entity.type = type;
  };
  const speaker = text.match(SPEAKER);
  if (speaker) add(speaker[1], 'PERSON');
  const words = tokens(text, speaker ? speaker[0].length : 0);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const plain = lower(word.text);
    const previous = i > 0 ? lower(words[i - 1].text) : undefined;
    if (previous === 'my' && KIN[plain] && words[i - 1].end + 1 === word.start) {
      // Named by the relation ("mother"), written as it was ("my mum").
      const relation = KIN[plain];
      add(`${words[i - 1].text} ${word.text}`.replace(/['’]s$/u, ''), PETS.has(relation) ? 'PET' : 'PERSON', relation);
      found.get(relation)!.name = relation;
      continue;
    }
    if (!capitalised(word.text) || word.text === '&') continue;
    // The longest run of capitalised words (joined by a few small words) from here.
    let end = i;
    for (let j = i + 1; j < words.length && j - i < NAME_WORDS + 2; j++) {
      if (words[j].sentenceStart || /[,()]/u.test(text.slice(words[j - 1].end, words[j].start))) break;
      if (capitalised(words[j].text)) end = j;
      else if (!JOINERS.has(words[j].text.toLowerCase())) break;
      if (/['’]s$/u.test(words[j].text)) break;
    }
    let first = i;
    // A common word opening a run is not part of the name ("Thanks Maya" is Maya); one inside ends it ("Yamaha I").
    while (first <= end && ordinary(words[first].text)) first++;
    for (let j = first + 1; j <= end; j++) if (COMMON.has(lower(words[j].text))) end = j - 1;
    while (end >= first && JOINERS.has(words[end].text.toLowerCase())) end--;
    const name = first <= end ? text.slice(words[first].start, words[end].end) : '';
    i = Math.max(i, end);
    if (!name || CONTRACTION.test(name)) continue;
    const bare = name.replace(/['’]s$/u, '');
    // In a chat turn or a later sentence, a lone capitalised opening word is as often "Exactly" as
    // a name; the first word of a stated fact is usually its subject ("Rosa plays the cello").
    const weak = first === end && words[first].sentenceStart && bare === name && (speaker !== null || first > 0);
    add(bare, typeOf(bare, words[first - 1]?.text, words[first - 2]?.text), entityKey(bare), weak);
  }
  return [...found.values()];
}

/**
 * What a memory's context — the one before it in its thread — names links to it at this weight (a
 * reply says "she" for the name the turn before it used). Measured on the conversations (HYBRID
 * recall@5, context weight 0 → 0.5): all 0.718 → 0.724, temporal 0.806 → 0.827, single 0.804 →
 * 0.812, multi-hop 0.455 → 0.455, paraphrase 0.609 → 0.598 (one question of 87); 0.3 and 0.7 did less.
 */
export const CONTEXT_WEIGHT = 0.5;

/** The entities of a memory's context, as links that count CONTEXT_WEIGHT and create no entity. */
export function contextEntities(context: string | null): (FoundEntity & { weight: number })[] {
  if (context === null) return [];
  return extractEntities(context).map((entity) => ({ ...entity, weak: true, weight: CONTEXT_WEIGHT }));
}

/**
 * The keys a query may name an entity by: every run of one to NAME_WORDS of its words, and kin
 * words as their relation ("mum" is `mother`) — matched against the end user's entities whatever
 * their case. At most 200.
 */
export function queryEntityKeys(query: string): string[] {
  const words = [...query.matchAll(WORD)].map((match) => match[0]);
  const keys = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const plain = lower(words[i]);
    if (KIN[plain]) keys.add(KIN[plain]);
    if (COMMON.has(plain) || CALENDAR.has(plain)) continue;
    for (let n = 1; n <= NAME_WORDS && i + n <= words.length; n++) {
      const key = entityKey(words.slice(i, i + n).join(' '));
      if (key.length >= 2) keys.add(key);
    }
  }
  return [...keys].slice(0, 200);
}
