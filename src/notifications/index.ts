/** The notification outbox: routing events to messages, and sending them through channels. */
export { CompositeNotifier, CONSOLE_CHANNEL, type Reaches, type RouteResult } from './compositeNotifier';
export { Dispatcher, singleChannel, DEFAULT_DISPATCHER_OPTIONS, type DeliveryRouter, type DispatcherOptions, type DispatchStats } from './dispatcher';
export { messagesForEvent, incidentChannelKey } from './eventMessages';
export { routeEvents } from './routeEvents';
