/**
 * The GraphiQL page and the two small files of its own: kept as strings, not as files beside the
 * code, because the build (tsc) copies only compiled TypeScript into dist/. The page loads
 * nothing but relative URLs this gateway serves (see graphiql.routes), so it works with no
 * internet; its one script runs from a file, so a strict Content-Security-Policy can hold.
 */

export const GRAPHIQL_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Zoom Video SDK sessions · GraphiQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="explorer/graphiql.min.css" />
    <link rel="stylesheet" href="explorer/page.css" />
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="explorer/react.production.min.js"></script>
    <script src="explorer/react-dom.production.min.js"></script>
    <script src="explorer/graphiql.min.js"></script>
    <script src="explorer/start.js"></script>
  </body>
</html>
`;

export const GRAPHIQL_PAGE_CSS = `body { margin: 0; }
#graphiql { height: 100vh; display: flex; flex-direction: column; }
#graphiql > .graphiql-container { flex: 1; min-height: 0; }
.key-prompt { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 8px 12px; font: 14px system-ui, sans-serif; background: #fff8e1; color: #3b2f00; border-bottom: 1px solid #e0c45c; }
.key-prompt input { flex: 1; min-width: 12em; padding: 4px 6px; font: inherit; }
.key-prompt button { padding: 4px 12px; font: inherit; }
`;

const DEFAULT_QUERY = `# Sessions running now. Without from and to: the month
# that ends today (UTC). sessions(type: PAST): the last month.
{
  sessions(first: 10) {
    nodes {
      id
      sessionName
      startTime
      userCount
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`;

/**
 * Starts GraphiQL against the endpoint the page was served from: the page is GET /graphql itself.
 * Subscriptions go over graphql-ws on the same path (the gateway upgrades /graphql), with the
 * client GraphiQL's build carries, so nothing is fetched from elsewhere; GraphiQL's fetcher sends the
 * Headers tab's values in `connection_init`, where the gateway reads `x-api-key` and `authorization`
 * (a browser cannot set headers on an upgrade). Queries and mutations stay on HTTP POST.
 *
 * GraphiQL's fetcher picks the WebSocket only when the document it is given holds a subscription
 * named by operationName. But GraphiQL hands it the editor's last parse, which runs 100 ms after
 * the last edit, with that parse's operation name, while the text is read when Run is pressed: a
 * subscription pasted and run at once went over HTTP (which refuses it), and a query run after a
 * subscription would go over the socket. So the text that is sent is parsed again here, and a
 * name that is not in it (stale) gives way to the only operation it holds.
 */
export const GRAPHIQL_START_JS = `'use strict';
(function () {
  var graphql = GraphiQL.GraphQL;
  var endpoint = new URL(window.location.pathname, window.location.href);
  var socket = new URL(endpoint.toString());
  socket.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  var send = GraphiQL.createFetcher({ url: endpoint.toString(), subscriptionUrl: socket.toString() });

  function fetcher(params, options) {
    var parsed;
    try {
      parsed = graphql.parse(params.query);
    } catch (error) {
      return send(params, options); // the gateway answers with the syntax error
    }
    var operations = parsed.definitions.filter(function (definition) { return definition.kind === 'OperationDefinition'; });
    var named = operations.some(function (operation) { return operation.name && operation.name.value === params.operationName; });
    var operationName = params.operationName;
    if (!named && operations.length === 1) operationName = operations[0].name ? operations[0].name.value : undefined;
    return send(Object.assign({}, params, { operationName: operationName }), Object.assign({}, options, { documentAST: parsed }));
  }

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  var h = React.createElement;

  /** The fetcher with the key the page was given, under whatever the Headers tab says (which wins): the schema fetch included. */
  function withKey(key) {
    return function (params, options) {
      var given = Object.assign({}, options);
      given.headers = Object.assign({ 'x-api-key': key }, given.headers || {});
      return fetcher(params, given);
    };
  }

  function explorer(key) {
    var props = { fetcher: key ? withKey(key) : fetcher, defaultQuery: ${JSON.stringify(DEFAULT_QUERY)} };
    if (key) props.headers = JSON.stringify({ 'x-api-key': key }, null, 2);
    return h(GraphiQL, props);
  }

  /** A gateway that asks for a credential would refuse GraphiQL's schema fetch: the key is asked for first. */
  function keyPrompt() {
    function use(event) {
      event.preventDefault();
      var key = event.target.elements.key.value.trim();
      if (key !== '') root.render(explorer(key));
    }
    function headersTab() {
      root.render(explorer(undefined));
    }
    return h('form', { className: 'key-prompt', onSubmit: use },
      h('label', { htmlFor: 'api-key' }, 'This gateway asks for an API key. Key:'),
      h('input', { id: 'api-key', name: 'key', type: 'password', autoComplete: 'off', required: true, autoFocus: true }),
      h('button', { type: 'submit' }, 'Use it'),
      h('button', { type: 'button', onClick: headersTab }, 'Open GraphiQL without it'),
      h('span', null, '(a bearer token goes in the Headers tab instead: {"authorization": "Bearer …"})'));
  }

  fetch(endpoint.toString(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) })
    .then(function (response) { return response.status === 401; }, function () { return false; })
    .then(function (asksForKey) { root.render(asksForKey ? keyPrompt() : explorer(undefined)); });
})();
`;
