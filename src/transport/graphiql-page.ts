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
#graphiql { height: 100vh; }
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
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: ${JSON.stringify(DEFAULT_QUERY)} }));
})();
`;
