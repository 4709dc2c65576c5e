/**
 * Latest request wins: when the user drops a second scan before the first has been read, the first one's
 * result must not replace the second. Each request takes a ticket; only the newest ticket is current.
 */
export class LatestRequest {
  private newest = 0

  /** A ticket for a new request; every earlier ticket stops being current. */
  begin(): { readonly current: () => boolean } {
    const ticket = ++this.newest
    return { current: () => ticket === this.newest }
  }
}
