// The search box of every page: finds resources by label, other names (acronyms) and the words of their
// evidence as one types, from ROOT/search.json (the server's and the static site's alike), ranked as
// wcokg.web.search.find ranks them. Without JavaScript the box submits to the search page.
(() => {
  "use strict";
  const root = new URL("..", document.currentScript.src);
  const MOST = 20;
  let index = null;

  function load() {
    if (index === null) {
      index = fetch(new URL("search.json", root)).then((r) => {
        if (!r.ok) throw new Error(`search.json: ${r.status}`);
        return r.json();
      });
    }
    return index;
  }

  function find(entries, query) {
    const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length) return [];
    const ranked = [];
    for (const entry of entries) {
      const texts = [entry.label, [entry.label, ...entry.names].join(" "), entry.words];
      const rank = texts.findIndex((text) => terms.every((t) => text.toLowerCase().includes(t)));
      if (rank >= 0) ranked.push([rank, entry]);
    }
    return ranked.sort((a, b) => a[0] - b[0]).slice(0, MOST).map((r) => r[1]);
  }

  function item(entry) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = new URL(entry.href, root).href;
    a.textContent = entry.label;
    li.append(a);
    if (entry.names.length) {
      const names = document.createElement("span");
      names.className = "names";
      names.textContent = ` (${entry.names.join(", ")})`;
      li.append(names);
    }
    return li;
  }

  const box = document.getElementById("search-box");
  const list = document.getElementById("search-suggestions");
  if (box && list) {
    box.addEventListener("input", async () => {
      const query = box.value;
      const entries = await load();
      if (box.value !== query) return;
      const found = find(entries, query).slice(0, 8);
      list.replaceChildren(...found.map(item));
      list.hidden = found.length === 0;
    });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Escape") list.hidden = true;
    });
  }

  // The static site's search page: the full list (no JavaScript) narrowed to the query's results.
  const results = document.getElementById("search-results");
  const query = new URLSearchParams(location.search).get("q");
  if (results && results.hasAttribute("data-static") && query) {
    if (box) box.value = query;
    load().then((entries) => {
      const found = find(entries, query);
      results.replaceChildren(...found.map(item));
      const note = document.getElementById("search-note");
      note.textContent = `${found.length} resource${found.length === 1 ? "" : "s"} found for “${query}”` +
        (found.length >= MOST ? ` (the first ${MOST}).` : ".");
    });
  }
})();
