// The static site's SPARQL engine: Oxigraph (WebAssembly, static/vendor/oxigraph) holding the published data.
// Messages in: {load: [[url, media type], …]} once, then {query, graph, ownDataset, limit}. Out: {ready: size},
// {document, truncated} (SELECT, ASK as SPARQL JSON), {graph: N-Triples, truncated}, or {error: message}.
// The page terminates this worker when a query runs past its time limit.
import init, * as oxigraph from "./vendor/oxigraph/web.js";

let store = null;

async function load(files) {
  await init();
  store = new oxigraph.Store();
  for (const [url, format] of files) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
    store.load(await response.text(), { format, base_iri: url });
  }
  return store.size;
}

function answer({ query, graph, ownDataset, limit }) {
  const options = { use_default_graph_as_union: !ownDataset };
  if (graph) {
    const lines = store.query(query, { ...options, results_format: "application/n-triples" }).split("\n").filter(Boolean);
    return { graph: lines.slice(0, limit).join("\n") + "\n", truncated: lines.length > limit };
  }
  const document = JSON.parse(store.query(query, { ...options, results_format: "application/sparql-results+json" }));
  const bindings = document.results ? document.results.bindings : [];
  const truncated = bindings.length > limit;
  if (truncated) document.results.bindings = bindings.slice(0, limit);
  return { document, truncated };
}

self.onmessage = async ({ data }) => {
  try {
    if (data.load) postMessage({ ready: await load(data.load) });
    else postMessage(answer(data));
  } catch (error) {
    postMessage({ error: String(error && error.message ? error.message : error) });
  }
};
