/**
 * Two ways to find what is new for one user between two stream positions:
 * read everything new in the range and keep what concerns them, or probe each
 * of their rooms through a (room, position) index. The first costs the range's
 * length, the second the number of rooms; a sync picks the cheaper. A busy bot
 * syncing often has short ranges and many rooms; a visitor whose long-poll timed
 * out on a busy server has a long range and one room.
 */
export function scanWholeRange(from: number, to: number, rooms: number): boolean {
  // An index probe costs a few row reads; 64 covers a room count of zero.
  return to - from <= 4 * rooms + 64;
}
