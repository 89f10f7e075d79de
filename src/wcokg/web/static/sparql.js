// The query page. Everywhere: YASQE (static/vendor, when bundled) as the editor over the plain textarea, and the
// catalog's questions as starters. On the static site (data-engine="browser"): the query runs in this browser,
// in a Web Worker holding Oxigraph (WebAssembly) and the published data, stopped (terminated) past the time
// limit, its rows cut at the row limit; the query and format go into the address (a permalink).
(() => {
  "use strict";
  const folder = new URL(".", document.currentScript.src); // ROOT/static/
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query");
  const settings = JSON.parse(document.getElementById("sparql-settings").textContent);
  const browser = form.dataset.engine === "browser";
  const format = document.getElementById("format");
  const errorLine = document.getElementById("query-error");
  const results = document.getElementById("results");
  let editor = null;

  const text = () => (editor ? editor.getValue() : textarea.value);
  function setText(value) {
    textarea.value = value;
    if (editor) editor.setValue(value);
  }

  // -- the editor: YASQE if bundled, else the textarea stays -------------------------------------------------
  const loaded = (node) => new Promise((resolve, reject) => Object.assign(node, { onload: resolve, onerror: reject }));
  const css = Object.assign(document.createElement("link"), { rel: "stylesheet", href: new URL("vendor/yasqe.min.css", folder).href });
  const js = Object.assign(document.createElement("script"), { src: new URL("vendor/yasqe.min.js", folder).href });
  Promise.all([loaded(css), loaded(js)]).then(
    () => {
      editor = new Yasqe(document.getElementById("editor"), {
        value: textarea.value,
        persistenceId: null, // the page's query, not one kept from an earlier visit
        consumeShareLink: null,
        createShareableLink: null,
        createShortLink: undefined,
        prefixCcApi: null, // nothing is fetched from another site
        autocompleters: ["variables"],
        syntaxErrorCheck: false, // it would flag the predeclared prefixes as undefined
        showQueryButton: false,
        resizeable: true,
        editorHeight: "18rem",
      });
      textarea.hidden = true;
    },
    () => {}, // not bundled: the plain textarea stays
  );
  document.head.append(css, js);

  // -- starters --------------------------------------------------------------------------------------------
  const starter = document.getElementById("starter");
  starter.closest(".starter").hidden = false;
  starter.addEventListener("change", () => {
    if (starter.value) setText(settings.starters[starter.value]);
  });

  form.addEventListener("submit", (event) => {
    textarea.value = text();
    if (browser) {
      event.preventDefault();
      run(textarea.value, format.value);
    }
  });
  if (!browser) return;

  // -- the static site: the engine in a worker ---------------------------------------------------------------
  form.querySelector(".run").hidden = false;
  let worker = null;
  let ready = null;

  function start() {
    worker = new Worker(new URL("sparql-worker.js", folder), { type: "module" });
    ready = new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) => (data.error ? reject(new Error(data.error)) : resolve(data));
      worker.onerror = (event) => reject(new Error(event.message || "the SPARQL engine could not start"));
    });
    const data = [
      [new URL("../dataset/wcokg.nq", folder).href, "application/n-quads"],
      [new URL("../dataset/void.ttl", folder).href, "text/turtle"],
    ];
    worker.postMessage({ load: data });
  }

  function stop() {
    if (worker) worker.terminate();
    worker = null;
  }

  // The query's form and whether it names its own dataset (FROM), read past comments, strings and IRIs.
  function shape(query) {
    const bare = query.replace(/#[^\n\r]*|"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"\s]*>/g, " ");
    const form = (bare.match(/\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i) || ["", "SELECT"])[1].toUpperCase();
    return { graph: form === "CONSTRUCT" || form === "DESCRIBE", ownDataset: /\bFROM\b/i.test(bare) };
  }

  function say(message) {
    errorLine.textContent = message;
    errorLine.hidden = !message;
  }

  async function run(query, chosen) {
    say("");
    const address = new URL(location.href);
    address.search = new URLSearchParams({ query, format: chosen }).toString();
    history.replaceState(null, "", address);
    const permalink = document.getElementById("permalink");
    permalink.replaceChildren(Object.assign(document.createElement("a"), { href: address.href, textContent: "Permalink to this query" }));
    results.replaceChildren(Object.assign(document.createElement("p"), { className: "running", textContent: "Running…" }));
    if (!worker) start();
    try {
      await ready;
    } catch (error) {
      stop();
      results.replaceChildren();
      say(`The SPARQL engine could not start in this browser: ${error.message}`);
      return;
    }
    const prologue = Object.entries(settings.prefixes).map(([p, ns]) => `PREFIX ${p}: <${ns}> `).join("");
    const { graph, ownDataset } = shape(query);
    const answer = await new Promise((resolve) => {
      const timer = setTimeout(() => {
        stop();
        resolve({ error: `query stopped after ${settings.timeout} s` });
      }, settings.timeout * 1000);
      worker.onmessage = ({ data }) => {
        clearTimeout(timer);
        resolve(data);
      };
      worker.postMessage({ query: prologue + query, graph, ownDataset, limit: settings.limit });
    });
    results.replaceChildren();
    if (answer.error) {
      // a syntax error's column on line 1 counts from the user's text, not the predeclared prefixes
      say(answer.error.replace(/error at 1:(\d+)/, (_, column) => `error at 1:${column - prologue.length}`));
      return;
    }
    show(answer, chosen);
  }

  // -- the answer, as the server's page shows it ------------------------------------------------------------
  function compact(iri) {
    for (const [prefix, ns] of Object.entries(settings.prefixes)) {
      if (iri.startsWith(ns) && /^[\w.-]*$/.test(iri.slice(ns.length))) return `${prefix}:${iri.slice(ns.length)}`;
    }
    return `<${iri}>`;
  }

  // The page of an IRI this site holds (as the server's local_path finds it), else the IRI itself.
  function page(iri) {
    let rest = null;
    if (iri.startsWith(settings.base)) rest = iri.slice(settings.base.length);
    else if (settings.vocabulary.some((v) => iri.startsWith(v))) rest = iri.slice(settings.vocabularyBase.length);
    if (rest === null) return iri;
    const [path, fragment] = rest.split("#");
    return new URL(`../${path || "index"}.html${fragment === undefined ? "" : "#" + fragment}`, folder).href;
  }

  function element(tag, properties, ...children) {
    const node = Object.assign(document.createElement(tag), properties);
    node.append(...children);
    return node;
  }

  function csv(document) {
    const field = (term) => {
      const value = term ? term.value : "";
      return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
    };
    const vars = document.head.vars;
    const lines = [vars.join(","), ...document.results.bindings.map((b) => vars.map((v) => field(b[v])).join(","))];
    return lines.join("\r\n") + "\r\n";
  }

  function show(answer, chosen) {
    if (answer.graph !== undefined) {
      results.append(element("pre", { textContent: answer.graph }));
    } else if ("boolean" in answer.document) {
      results.append(element("p", { className: "boolean", textContent: String(answer.document.boolean) }));
    } else if (chosen === "text/html") {
      const { vars } = answer.document.head;
      const rows = answer.document.results.bindings;
      const more = answer.truncated ? ` (more were found; only the first ${settings.limit} are shown)` : "";
      results.append(element("p", { className: "count", textContent: `${rows.length} row${rows.length === 1 ? "" : "s"}${more}` }));
      const head = element("tr", {}, ...vars.map((v) => element("th", { scope: "col", textContent: `?${v}` })));
      const body = rows.map((row) =>
        element("tr", {}, ...vars.map((v) => {
          const term = row[v];
          if (!term) return element("td", {});
          if (term.type === "uri") return element("td", {}, element("a", { href: page(term.value), textContent: compact(term.value) }));
          return element("td", { textContent: term.value });
        })),
      );
      results.append(element("table", { className: "results" }, element("thead", {}, head), element("tbody", {}, ...body)));
    } else {
      const body = chosen === "text/csv" ? csv(answer.document) : JSON.stringify(answer.document, null, 2);
      const blob = new Blob([body], { type: chosen });
      results.append(element("p", {}, element("a", { href: URL.createObjectURL(blob), download: chosen === "text/csv" ? "answer.csv" : "answer.srj", textContent: "Download the answer" })));
      results.append(element("pre", { textContent: body }));
    }
  }

  const asked = new URLSearchParams(location.search);
  if (asked.get("query")) {
    setText(asked.get("query"));
    if ([...format.options].some((o) => o.value === asked.get("format"))) format.value = asked.get("format");
    run(asked.get("query"), format.value);
  }
})();
