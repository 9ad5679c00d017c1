/**
 * Runs in every test file (jest setupFilesAfterEach): once the file's tests are done, every object
 * its tests synthesized through the harness goes to the API server, and the file fails on any
 * rejection or warning, naming the test, the object and the server's message.
 */
import { checkRecordedWithApiServer } from './api-server';

afterAll(async () => {
  await checkRecordedWithApiServer();
}, 600_000);
