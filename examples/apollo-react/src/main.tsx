import { ApolloProvider } from '@apollo/client/react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { createMemgateClient, TokenSource } from './apollo.js';

/** Set by the backend in index.html: where the gateway is, and who is signed in. */
declare global {
  interface Window {
    MEMGATE: { gatewayUrl: string; user: string };
  }
}

const client = createMemgateClient(window.MEMGATE.gatewayUrl, new TokenSource('/api/token'));
createRoot(document.getElementById('app')!).render(
  <ApolloProvider client={client}>
    <App user={window.MEMGATE.user} />
  </ApolloProvider>,
);
