import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export type RoomTab = 'voice' | 'chat';

const TABS: readonly RoomTab[] = ['voice', 'chat'];

export const roomTabId = (tab: RoomTab) => `room-tab-${tab}`;
export const roomPanelId = (tab: RoomTab) => `room-panel-${tab}`;

type RoomTabsProps = {
  selected: RoomTab;
  onSelect(tab: RoomTab): void;
  /** What each tab says; the Chat tab carries its unread badge. */
  labels: Record<RoomTab, ReactNode>;
};

/**
 * Voice / Chat on narrow screens. The WAI-ARIA tabs pattern: one tab stop,
 * arrow keys (and Home/End) move between the tabs and select them.
 */
export function RoomTabs({ selected, onSelect, labels }: RoomTabsProps) {
  const refs = useRef(new Map<RoomTab, HTMLButtonElement>());

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.indexOf(selected);
    const next =
      event.key === 'ArrowRight' ? TABS[(index + 1) % TABS.length]
      : event.key === 'ArrowLeft' ? TABS[(index - 1 + TABS.length) % TABS.length]
      : event.key === 'Home' ? TABS[0]
      : event.key === 'End' ? TABS.at(-1)
      : undefined;
    if (next === undefined) return;
    event.preventDefault();
    onSelect(next);
    refs.current.get(next)?.focus();
  };

  return (
    <div className="room-tabs" role="tablist" aria-label="Room" onKeyDown={onKeyDown}>
      {TABS.map((tab) => (
        <button
          key={tab}
          ref={(button) => {
            if (button) refs.current.set(tab, button);
            else refs.current.delete(tab);
          }}
          type="button"
          role="tab"
          id={roomTabId(tab)}
          className="room-tabs__tab"
          aria-selected={tab === selected}
          aria-controls={roomPanelId(tab)}
          tabIndex={tab === selected ? 0 : -1}
          onClick={() => onSelect(tab)}
        >
          {labels[tab]}
        </button>
      ))}
    </div>
  );
}
