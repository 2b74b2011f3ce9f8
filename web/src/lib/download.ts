import { apiKeyStore } from '../api/client';

/**
 * Links to API downloads work as plain links in dev mode; with an API key they must send it, so
 * the click fetches the file with the header and saves it from a blob instead.
 */
export async function downloadWithKey(event: MouseEvent, url: string, fileName: string) {
  const key = apiKeyStore.get();
  if (!key) return;
  event.preventDefault();
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  if (!res.ok) {
    alert(`Download failed: ${res.status} ${res.statusText}`);
    return;
  }
  const blobUrl = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: blobUrl, download: fileName });
  a.click();
  setTimeout(() => URL.revokeObjectURL(blobUrl), 0);
}
