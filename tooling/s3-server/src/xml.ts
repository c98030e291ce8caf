const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function escapeXml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

export function xmlDocument(root: string, inner: string, namespaced = true): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${namespaced ? ` xmlns="${NS}"` : ''}>${inner}</${root}>`;
}
