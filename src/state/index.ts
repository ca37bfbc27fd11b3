export { StateStore, writeAtomic, type AgentRecord, type RunRecord, type State } from './store.js';
export { readMarker, writeMarker, type Marker } from './marker.js';
