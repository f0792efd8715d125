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

/** Starts GraphiQL against the endpoint the page was served from: the page is GET /graphql itself. */
export const GRAPHIQL_START_JS = `'use strict';
(function () {
  var endpoint = new URL(window.location.pathname, window.location.href).toString();
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher: GraphiQL.createFetcher({ url: endpoint }), defaultQuery: ${JSON.stringify(DEFAULT_QUERY)} }));
})();
`;
