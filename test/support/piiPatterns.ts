/**
 * Redaction rules as products write them (JavaScript syntax, as a tenant would paste them), each
 * with text it must redact and text it must leave alone.
 */
export const PII_PATTERNS: { name: string; pattern: string; hit: string; miss: string }[] = [
  {
    name: 'card',
    pattern: String.raw`\b(?:\d[ -]?){13,19}\b`,
    hit: 'card 4111 1111 1111 1111 ok',
    miss: 'order 1234 shipped',
  },
  {
    name: 'card_brand',
    pattern: String.raw`\b(?:4\d{3}|5[1-5]\d{2}|3[47]\d{2})(?:[ -]?\d{4}){3}\b`,
    hit: 'visa 4000-0566-5566-5556',
    miss: 'code 9000-0566-5566-5556',
  },
  {
    name: 'iban',
    pattern: String.raw`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b`,
    hit: 'IBAN DE89 3704 0044 0532 0130 00 please',
    miss: 'see DE89 for details',
  },
  {
    name: 'email',
    pattern: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`,
    hit: 'mail ana.lopez+work@example.co.uk now',
    miss: 'at the @ sign',
  },
  {
    name: 'phone_us',
    pattern: String.raw`(?:\+1[ .-]?)?\(?\b\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}\b`,
    hit: 'call (415) 555-0132 today',
    miss: 'room 415 on floor 5',
  },
  {
    name: 'phone_uk',
    pattern: String.raw`(?:\+44 ?7\d{3}|\b07\d{3}) ?\d{3} ?\d{3}\b`,
    hit: 'mobile +44 7700 900123 ok',
    miss: 'flat 7 of 700',
  },
  {
    name: 'phone_de',
    pattern: String.raw`\+49[ ]?\(?0?\)?\d{2,4}[ /-]?\d{3,8}`,
    hit: 'Tel +49 30 1234567 bitte',
    miss: 'Seite 49',
  },
  {
    name: 'phone_fr',
    pattern: String.raw`\b0[1-9](?:[ .-]?\d{2}){4}\b`,
    hit: 'tél 06 12 34 56 78 merci',
    miss: 'le 06 mai',
  },
  {
    name: 'phone_in',
    pattern: String.raw`(?:\+91[ -]?)?\b[6-9]\d{9}\b`,
    hit: 'ph +91 9876543210 ji',
    miss: 'pin 560001',
  },
  { name: 'phone_e164', pattern: String.raw`\+[1-9]\d{7,14}\b`, hit: 'whatsapp +5511987654321 sim', miss: 'score +12' },
  {
    name: 'ssn_us',
    pattern: String.raw`\b\d{3}-\d{2}-\d{4}\b`,
    hit: 'SSN 078-05-1120 on file',
    miss: 'dated 2024-05-11',
  },
  {
    name: 'nino_uk',
    pattern: String.raw`\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b`,
    hit: 'NI AB 12 34 56 C thanks',
    miss: 'AB is fine',
  },
  { name: 'sin_ca', pattern: String.raw`\b\d{3}[ -]\d{3}[ -]\d{3}\b`, hit: 'SIN 046-454-286 ok', miss: 'call 046 now' },
  { name: 'dni_es', pattern: String.raw`\b\d{8}-?[A-HJ-NP-TV-Z]\b`, hit: 'DNI 12345678Z gracias', miss: 'ref 1234Z' },
  {
    name: 'codice_fiscale',
    pattern: String.raw`(?i)\b[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]\b`,
    hit: 'CF rssmra85t10a562s grazie',
    miss: 'CF rossi mario',
  },
  {
    name: 'aadhaar',
    pattern: String.raw`\b[2-9]\d{3} ?\d{4} ?\d{4}\b`,
    hit: 'Aadhaar 2345 6789 0123 ok',
    miss: 'year 2345',
  },
  { name: 'cpf_br', pattern: String.raw`\b\d{3}\.\d{3}\.\d{3}-\d{2}\b`, hit: 'CPF 123.456.789-09 ok', miss: 'v1.2.3' },
  {
    name: 'ipv4',
    pattern: String.raw`\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b`,
    hit: 'from 203.0.113.42 at',
    miss: 'version 1.2.3',
  },
  {
    name: 'ipv6',
    pattern: String.raw`\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b`,
    hit: 'addr 2001:0db8:85a3:0000:0000:8a2e:0370:7334 up',
    miss: 'time 10:30',
  },
  {
    name: 'aws_key',
    pattern: String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`,
    hit: 'key AKIAIOSFODNN7EXAMPLE leaked',
    miss: 'AKIA is a prefix',
  },
  {
    name: 'github_token',
    pattern: String.raw`\bgh[pousr]_[A-Za-z0-9]{36}\b`,
    hit: 'token ghp_0123456789abcdefghijABCDEFGHIJ012345 x',
    miss: 'ghp_short',
  },
  {
    name: 'stripe_key',
    pattern: String.raw`\b[sr]k_(?:live|test)_[A-Za-z0-9]{24,}\b`,
    hit: 'sk_live_51H8abcdefghijklmnopqrstuvwx in env',
    miss: 'sk_live_ is the prefix',
  },
  {
    name: 'slack_token',
    pattern: String.raw`\bxox[abposr]-[A-Za-z0-9-]{10,48}\b`,
    hit: 'xoxb-123456789012-abcdefghij leaked',
    miss: 'xoxo hugs',
  },
  {
    name: 'jwt',
    pattern: String.raw`\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`,
    hit: 'bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl end',
    miss: 'eyJ alone',
  },
  {
    name: 'password',
    pattern: String.raw`(?i)\bpass(?:word|wd)?\s*[:=]\s*\S+`,
    hit: 'my Password: hunter2 ok',
    miss: 'passed the test',
  },
  {
    name: 'birth_date',
    pattern: String.raw`\b(?:0[1-9]|[12]\d|3[01])[/.-](?:0[1-9]|1[0-2])[/.-](?:19|20)\d{2}\b`,
    hit: 'born 24/12/1987 in',
    miss: 'on 2024/12/24',
  },
  {
    name: 'named_group',
    pattern: String.raw`(?<digits>\d{6})-(?<check>\d{2})`,
    hit: 'member 123456-78 ok',
    miss: 'member 12345-78',
  },
  {
    name: 'person_name',
    pattern: String.raw`\bDr\. \p{Lu}\p{Ll}+`,
    hit: 'ask Dr. Ōtsuka tomorrow',
    miss: 'ask dr. who',
  },
];
