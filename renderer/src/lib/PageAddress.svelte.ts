// Keeps the address bar and the page's state in step: at load the address's route is opened (reload and shared
// links), every later change of what the page shows is written back — a new history entry where a person would go
// Back to it, the same entry rewritten otherwise (see historyChange) — and Back/Forward open the route they land on.
// It also takes the headless host's access token out of the address bar at load: the host has set its cookie by
// then, so reloads and links work without it, and no history entry carries it after the first.
import { formatRoute, historyChange, parseRoute, type Route } from './route';
import type { StudioState } from './StudioState.svelte';

/** The part of `window` the address needs (so tests can pass jsdom's or a fake). */
export interface AddressWindow {
  location: Pick<Location, 'hash' | 'href'>;
  history: Pick<History, 'pushState' | 'replaceState' | 'state'>;
  addEventListener(type: 'hashchange' | 'popstate', listener: () => void): void;
  removeEventListener(type: 'hashchange' | 'popstate', listener: () => void): void;
}

/** The query parameter that carries the host's token in the URL `evgap serve` prints. */
const TOKEN_PARAMETER = 'token';

export class PageAddress {
  readonly #window: AddressWindow;
  readonly #studio: StudioState;
  /** The route the address bar shows now. */
  #shown: Route;

  constructor(window: AddressWindow, studio: StudioState) {
    this.#window = window;
    this.#studio = studio;
    this.#shown = parseRoute(window.location.hash);
  }

  /** Opens the address's route and follows both ways from now on; returns the function that stops following. */
  start(): () => void {
    this.#removeToken();
    this.#studio.navigate(this.#shown);
    // Back/Forward between the page's entries (popstate), or a hash typed into the address bar (hashchange).
    const onAddressChange = () => {
      const route = parseRoute(this.#window.location.hash);
      if (formatRoute(route) === formatRoute(this.#shown)) return;
      this.#shown = route;
      this.#studio.navigate(route);
    };
    this.#window.addEventListener('popstate', onAddressChange);
    this.#window.addEventListener('hashchange', onAddressChange);
    const stopRecording = $effect.root(() => {
      $effect(() => this.record(this.#studio.route));
    });
    return () => {
      stopRecording();
      this.#window.removeEventListener('popstate', onAddressChange);
      this.#window.removeEventListener('hashchange', onAddressChange);
    };
  }

  /** Writes `route` into the address bar (a new entry or the current one, as historyChange decides). */
  record(route: Route): void {
    const change = historyChange(this.#shown, route);
    if (change === 'none') return;
    this.#shown = route;
    // The history API changes the address at once and fires no event (a hash assignment would, later, and could
    // race with the next change); it works on the host's http page and on Electron's file:// page alike.
    const url = withHash(this.#window.location.href, formatRoute(route));
    if (change === 'push') this.#window.history.pushState(null, '', url);
    else this.#window.history.replaceState(this.#window.history.state, '', url);
  }

  #removeToken(): void {
    const url = new URL(this.#window.location.href);
    if (!url.searchParams.has(TOKEN_PARAMETER)) return;
    url.searchParams.delete(TOKEN_PARAMETER);
    this.#window.history.replaceState(this.#window.history.state, '', url.href);
  }
}

function withHash(href: string, hash: string): string {
  const at = href.indexOf('#');
  return (at < 0 ? href : href.slice(0, at)) + hash;
}
