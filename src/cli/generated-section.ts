export interface SectionMarkers {
  start: string;
  end: string;
}

/** `text` with what lies between the two marker lines replaced by `content`; throws naming the markers when either is missing. */
export function withGeneratedSection(text: string, markers: SectionMarkers, content: string): string {
  const start = text.indexOf(markers.start);
  const end = text.indexOf(markers.end);
  if (start < 0 || end < start) throw new Error(`the file needs ${markers.start} and ${markers.end}`);
  return `${text.slice(0, start + markers.start.length)}\n${content}\n${text.slice(end)}`;
}
