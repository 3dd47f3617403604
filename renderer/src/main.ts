// Renderer entry: picks the transport for this page, creates the page's state and mounts the app.
import { mount } from 'svelte';
import App from './App.svelte';
import { createClient } from './lib/client';
import { StudioState } from './lib/StudioState.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element to mount EVGAP Studio in');
mount(App, { target, props: { studio: new StudioState(createClient(window)) } });
