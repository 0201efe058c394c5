// Hands a file made in the page to the browser's download (a separate module so tests can watch it).
export function saveFile(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the data by now; give it a moment before letting the URL go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
