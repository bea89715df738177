'use client';

import { useEffect } from 'react';

export const DISCARD_QUESTION = 'This article has unsaved changes. Leave it and lose them?';

/** Asks before unsaved changes would be thrown away by an in-page switch; true to go ahead. */
export function confirmDiscard(dirty: boolean): boolean {
  return !dirty || window.confirm(DISCARD_QUESTION);
}

/**
 * While `dirty`, asks before the page goes away: a reload, a closed tab or a typed address (the browser's own
 * prompt), and a click on any link, which Next's router follows without unloading the page. The back button
 * cannot be stopped once pressed: `keptEdits` keeps the text for when the editor comes back.
 */
export function useUnsavedChangesGuard(dirty: boolean, onDiscard: () => void) {
  useEffect(() => {
    if (!dirty) return;
    const beforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    // Capturing on the document runs before React's listener on its root, so a refused click never reaches <Link>.
    const click = (event: MouseEvent) => {
      const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (!link || link.getAttribute('target') === '_blank' || event.defaultPrevented) return;
      if (window.confirm(DISCARD_QUESTION)) {
        onDiscard();
      } else {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', beforeUnload);
    document.addEventListener('click', click, true);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('click', click, true);
    };
  }, [dirty, onDiscard]);
}

/**
 * Unsaved edits of one article (or of the new one) kept in the tab's session storage, so a back button or a crash
 * loses nothing: the editor offers them again when the article is opened next in this tab.
 */
export function keptEdits<T>(key: string) {
  const name = `signalbox:knowledge-edits:${key}`;
  return {
    read(): T | null {
      try {
        const text = window.sessionStorage.getItem(name);
        return text ? (JSON.parse(text) as T) : null;
      } catch {
        return null;
      }
    },
    write(value: T | null) {
      try {
        if (value === null) window.sessionStorage.removeItem(name);
        else window.sessionStorage.setItem(name, JSON.stringify(value));
      } catch {
        // A full or disabled storage only loses the safety net.
      }
    },
  };
}
