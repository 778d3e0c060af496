/**
 * A stand-in for Claude for trying Memgate with no API key: it speaks the Anthropic Messages API
 * on loopback and answers Memgate's three tools with simple rules (first-person sentences become
 * facts; a fact whose first words match a memory updates it; answers cite the memory sharing most
 * words with the question). Not a model: for demos only.
 *
 *   npm run demo:claude      then start the gateway with
 *   ANTHROPIC_API_KEY=demo ANTHROPIC_BASE_URL=http://127.0.0.1:4010 npm start
 */
import { createServer } from 'node:http';

const port = Number(process.env.DEMO_CLAUDE_PORT ?? 4010);

function block(prompt: string, tag: string): any {
  const match = new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(prompt);
  return match ? JSON.parse(match[1]) : undefined;
}

const words = (text: string) =>
  new Set((text.toLowerCase().match(/[a-z0-9']+/g) ?? []).map((word) => word.replace(/s$/, '')));
const STOP = new Set([
  'the',
  'user',
  'a',
  'an',
  'i',
  'my',
  'is',
  'to',
  'in',
  'of',
  'and',
  'do',
  'does',
  'what',
  'where',
  'who',
  'how',
  'me',
]);
const overlap = (a: string, b: string) => [...words(a)].filter((w) => !STOP.has(w) && words(b).has(w)).length;

function toFact(sentence: string): string | null {
  const s = sentence.trim().replace(/[.!]+$/, '');
  const rules: [RegExp, string][] = [
    [/^i am\b/i, 'The user is'],
    [/^i'm\b/i, 'The user is'],
    [/^i have\b/i, 'The user has'],
    [/^i live\b/i, 'The user lives'],
    [/^i moved to\b/i, 'The user lives in'],
    [/^i work\b/i, 'The user works'],
    [/^i like\b/i, 'The user likes'],
    [/^i love\b/i, 'The user loves'],
    [/^my\b/i, "The user's"],
  ];
  for (const [pattern, replacement] of rules) if (pattern.test(s)) return s.replace(pattern, replacement);
  return null;
}

function answer(tool: string, prompt: string): unknown {
  if (tool === 'record_facts') {
    const messages: { role: string; content: string }[] = block(prompt, 'conversation') ?? [];
    const facts = messages
      .filter((m) => m.role === 'USER')
      .flatMap((m) => m.content.split(/(?<=[.!?])\s+/))
      .map(toFact)
      .filter((fact): fact is string => fact !== null);
    return { facts };
  }
  if (tool === 'decide_memory_changes') {
    const facts: { index: number; fact: string }[] = block(prompt, 'facts') ?? [];
    const memories: { alias: string; content: string }[] = block(prompt, 'memories') ?? [];
    return {
      decisions: facts.map(({ index, fact }) => {
        const head = fact.split(' ').slice(0, 3).join(' ').toLowerCase();
        const same = memories.find((m) => m.content.toLowerCase() === fact.toLowerCase());
        if (same) return { fact: index, action: 'NONE', reason: 'already known' };
        const older = memories.find((m) => m.content.toLowerCase().startsWith(head));
        return older
          ? { fact: index, action: 'UPDATE', memory: older.alias, text: fact, reason: 'newer information' }
          : { fact: index, action: 'ADD', text: fact, reason: 'new information' };
      }),
    };
  }
  const question: string = block(prompt, 'question') ?? '';
  const memories: { alias: string; content: string }[] = block(prompt, 'memories') ?? [];
  const best = memories.map((m) => ({ m, score: overlap(question, m.content) })).sort((a, b) => b.score - a.score)[0];
  return best && best.score > 0
    ? { known: true, answer: `From what I remember: ${best.m.content}.`, citations: [best.m.alias] }
    : { known: false, answer: "I don't know that from your memories.", citations: [] };
}

createServer((req, res) => {
  let raw = '';
  req.on('data', (chunk) => (raw += chunk));
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/v1/messages') return void res.writeHead(404).end();
    const body = JSON.parse(raw);
    const tool = body.tool_choice?.name ?? body.tools?.[0]?.name;
    const input = answer(tool, body.messages?.[0]?.content ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: `msg_demo_${Date.now()}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [{ type: 'tool_use', id: `toolu_demo_${Date.now()}`, name: tool, input }],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: { input_tokens: Math.ceil(raw.length / 4), output_tokens: Math.ceil(JSON.stringify(input).length / 4) },
      }),
    );
  });
}).listen(port, '127.0.0.1', () => console.log(`Demo Claude (rules, not a model) on http://127.0.0.1:${port}`));
