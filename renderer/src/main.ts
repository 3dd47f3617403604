// Renderer entry: picks the transport for this page (reading the host's token from the first URL), creates the
// page's state, opens what the address names and keeps the address in step, and mounts the app.
import { mount } from 'svelte';
import App from './App.svelte';
import { createClient } from './lib/client';
import { PageAddress } from './lib/PageAddress.svelte';
import { StudioState } from './lib/StudioState.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element to mount EVGAP Studio in');
const studio = new StudioState(createClient(window));
new PageAddress(window, studio).start();
mount(App, { target, props: { studio } });
