/**
 * Removes everything this origin stored on the device: localStorage,
 * sessionStorage, every IndexedDB database (the Rust crypto store among them),
 * Cache Storage and service workers. Used by "delete this conversation" and
 * when a kept session turns out to be dead.
 */
export async function wipeDevice(): Promise<void> {
  try { localStorage.clear(); } catch { /* storage disabled: nothing to clear */ }
  try { sessionStorage.clear(); } catch { /* idem */ }
  const databases = (await indexedDB.databases?.()) ?? [];
  await Promise.all(databases.map((db) => (db.name ? deleteDatabase(db.name) : undefined)));
  if ("caches" in globalThis) {
    for (const name of await caches.keys()) await caches.delete(name);
  }
  if ("serviceWorker" in navigator) {
    for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
  }
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = () => resolve();
    // A blocked delete still happens once the last connection closes; do not wait for that forever.
    request.onblocked = () => setTimeout(resolve, 3000);
  });
}
