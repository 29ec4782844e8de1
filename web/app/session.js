// The saved session (localStorage): the form's config, the view, and the run on screen with all its
// probes, so that nothing typed or computed is lost on a reload. main.js reads it back at boot.
//
// Provides page.saveSoon.
import { createStore } from '../dom.js';

const SAVE_DELAY_MS = 600;  // after the last change: one write per burst of edits or probes

// { state: {config, view}, run: {config, status, message, probes} | null }
const store = createStore('spiketail.session.v1');

export function loadSession() {
  return store.load();
}

export function installSession(page) {
  const { app } = page;
  let timer = 0;
  page.saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const session = { state: { config: app.config, view: app.view }, run: app.run?.probes?.length ? app.run : null };
      // A run too long for the quota (the study's scale): the config at least is kept.
      store.save(session, { ...session, run: null });
    }, SAVE_DELAY_MS);
  };
}
