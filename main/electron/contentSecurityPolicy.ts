// Checks a Content-Security-Policy against what the app's page needs and no more: scripts only from the app itself
// (no inline scripts, no eval, no remote hosts), no plugins, no <base> rewriting, no framing of other pages, and
// network access only back to the app (the headless host) — media may also come from the evgap-media:// scheme.
// Plain functions, used by the tests on renderer/index.html's <meta> policy.

/** Directive name → its source list, lower-cased; the first occurrence of a directive wins, as in browsers. */
export function parseContentSecurityPolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/).filter((token) => token !== '');
    if (name === undefined) continue;
    const key = name.toLowerCase();
    if (!directives.has(key)) directives.set(key, sources.map((source) => source.toLowerCase()));
  }
  return directives;
}

/** The policy of an HTML page's `<meta http-equiv="Content-Security-Policy">`, or null when it has none. */
export function contentSecurityPolicyOfHtml(html: string): string | null {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    if (!/http-equiv\s*=\s*["']?content-security-policy["']?/i.test(tag)) continue;
    const content = /content\s*=\s*"([^"]*)"|content\s*=\s*'([^']*)'/i.exec(tag);
    if (content) return (content[1] ?? content[2] ?? '').replace(/\s+/g, ' ').trim();
  }
  return null;
}

/** Sources that would let code or content in from outside the app. */
const loose = ["'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", '*', 'http:', 'https:', 'data:', 'blob:', 'file:', 'ws:', 'wss:'];

/** What is wrong with `policy` for the app's page; empty when it is strict enough. */
export function contentSecurityPolicyProblems(policy: string): string[] {
  const directives = parseContentSecurityPolicy(policy);
  const problems: string[] = [];
  const sourcesOf = (name: string) => directives.get(name) ?? directives.get('default-src');
  const defaults = directives.get('default-src');
  if (defaults === undefined) problems.push("expected a default-src directive, got none");
  else if (defaults.some((source) => source !== "'self'" && source !== "'none'")) problems.push(`expected default-src 'self' or 'none', got ${defaults.join(' ')}`);
  const scripts = sourcesOf('script-src') ?? [];
  const badScripts = scripts.filter((source) => source !== "'self'" && source !== "'none'");
  if (badScripts.length > 0) problems.push(`expected script-src to allow only 'self', got ${badScripts.join(' ')}`);
  for (const name of ['object-src', 'base-uri']) {
    const sources = name === 'base-uri' ? directives.get(name) : sourcesOf(name);
    if (sources === undefined || sources.join(' ') !== "'none'") problems.push(`expected ${name} 'none', got ${sources?.join(' ') ?? 'nothing'}`);
  }
  for (const name of ['connect-src', 'frame-src', 'worker-src', 'font-src', 'form-action']) {
    const sources = name === 'form-action' ? directives.get(name) : sourcesOf(name);
    const bad = (sources ?? []).filter((source) => loose.includes(source) || /^[a-z][a-z0-9+.-]*:\/\//.test(source));
    if (bad.length > 0) problems.push(`expected ${name} to stay within the app, got ${bad.join(' ')}`);
  }
  const media = (sourcesOf('media-src') ?? []).filter((source) => !["'self'", "'none'", 'blob:', 'evgap-media:'].includes(source));
  if (media.length > 0) problems.push(`expected media-src to allow only 'self', blob: and evgap-media:, got ${media.join(' ')}`);
  return problems;
}
