export { StateStore, writeAtomic, type AgentRecord, type PendingAgent, type RunRecord, type State } from './store.js';
export { readMarker, writeMarker, type Marker } from './marker.js';
