// The renderer page's Content-Security-Policy (renderer/index.html, and the built out/renderer/index.html when
// present) is strict: scripts only from the app, no eval, no plugins, no <base>, network only back to the app.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicyOfHtml,
  contentSecurityPolicyProblems,
  parseContentSecurityPolicy,
} from '../../../main/electron/contentSecurityPolicy';

const projectDir = join(import.meta.dirname, '..', '..', '..');
const pages = ['renderer/index.html', 'out/renderer/index.html'].filter((page) => existsSync(join(projectDir, page)));

describe('the app page’s policy', () => {
  it.each(pages)('%s has a strict policy', (page) => {
    const policy = contentSecurityPolicyOfHtml(readFileSync(join(projectDir, page), 'utf8'));
    expect(policy).not.toBeNull();
    expect(contentSecurityPolicyProblems(policy as string)).toEqual([]);
  });
});

describe('contentSecurityPolicyProblems', () => {
  const strict = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; media-src 'self' blob: evgap-media:";

  it('accepts a strict policy', () => {
    expect(contentSecurityPolicyProblems(strict)).toEqual([]);
  });

  it('reports eval, inline scripts and remote script hosts', () => {
    expect(contentSecurityPolicyProblems(strict.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'"))).toEqual([
      "expected script-src to allow only 'self', got 'unsafe-eval'",
    ]);
    expect(contentSecurityPolicyProblems(strict.replace("script-src 'self'", "script-src 'self' 'unsafe-inline' https://cdn.example.com")).join()).toMatch(
      /'unsafe-inline' https:\/\/cdn\.example\.com/,
    );
  });

  it('reports a missing default-src, object-src or base-uri', () => {
    expect(contentSecurityPolicyProblems("script-src 'self'; object-src 'none'; base-uri 'none'")).toContain("expected a default-src directive, got none");
    expect(contentSecurityPolicyProblems("default-src 'self'; base-uri 'none'")).toContain("expected object-src 'none', got 'self'");
    expect(contentSecurityPolicyProblems("default-src 'self'; object-src 'none'")).toContain("expected base-uri 'none', got nothing");
  });

  it('reports connections and media from outside the app', () => {
    expect(contentSecurityPolicyProblems(`${strict}; connect-src 'self' https://telemetry.example.com`)).toEqual([
      'expected connect-src to stay within the app, got https://telemetry.example.com',
    ]);
    expect(contentSecurityPolicyProblems(strict.replace('evgap-media:', 'https:'))).toEqual([
      "expected media-src to allow only 'self', blob: and evgap-media:, got https:",
    ]);
  });
});

describe('parsing', () => {
  it('reads directives case-insensitively, the first occurrence winning', () => {
    const directives = parseContentSecurityPolicy("Script-Src 'self';  script-src *; ;object-src 'none'");
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
  });

  it('finds the policy in a page’s meta tag, whatever the quoting', () => {
    expect(contentSecurityPolicyOfHtml(`<meta http-equiv="Content-Security-Policy" content="default-src 'self';\n  object-src 'none'">`)).toBe(
      "default-src 'self'; object-src 'none'",
    );
    expect(contentSecurityPolicyOfHtml('<meta charset="utf-8"><title>x</title>')).toBeNull();
  });
});
