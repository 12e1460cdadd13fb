/**
 * The top bar's pop-ups ("Call for help", the menu) close when the victim taps
 * anywhere else, as a phone's menus do; otherwise the list stayed over the
 * conversation until its button was found again. The tap that closes one does
 * nothing else, so it cannot answer a question lying under it by accident.
 */
export function closeOnTapOutside(details: HTMLDetailsElement): () => void {
  let swallowClick = false;
  const onDown = (event: PointerEvent) => {
    swallowClick = details.open && !details.contains(event.target as Node);
    if (swallowClick) details.open = false;
  };
  const onClick = (event: MouseEvent) => {
    if (!swallowClick) return;
    swallowClick = false;
    event.preventDefault();
    event.stopPropagation();
  };
  document.addEventListener("pointerdown", onDown, true);
  document.addEventListener("click", onClick, true);
  return () => {
    document.removeEventListener("pointerdown", onDown, true);
    document.removeEventListener("click", onClick, true);
  };
}
