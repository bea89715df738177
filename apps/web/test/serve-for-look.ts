// Starts the built web app on a fresh database with the test people, for looking at it by hand; prints the URL.
import { startWebApp } from './harness.ts';

const app = await startWebApp();
console.log(`web app at ${app.baseUrl} (owner@shop.test / correct horse battery), database ${app.databaseUrl}`);
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
setInterval(() => undefined, 1 << 30);
