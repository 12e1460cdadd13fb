/**
 * Solves one proof-of-work challenge off the page's thread (`proof-of-work.ts`),
 * with the one solver the server, the tests and the benchmarks share.
 * Receives a challenge, answers `{ payload }` or `{ error }`.
 */
import { solveProofOfWork, type ProofOfWorkChallenge } from "@onsafe/schema/proof-of-work";

self.onmessage = async (event: MessageEvent<ProofOfWorkChallenge>) => {
  try {
    self.postMessage({ payload: await solveProofOfWork(event.data) });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
