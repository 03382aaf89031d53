/** The channel-neutral conversation layer: grammar, action ids, cards and renderers. */
export * from './actions';
export * from './grammar';
export * from './cards';
export * from './render';
