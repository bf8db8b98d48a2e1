// Express 5 + compression with res.flush() after each event in front of a correct SSE route (route.mjs).
// Usage: PORT=3000 node server.mjs corpus.json
import compression from 'compression';
import express from 'express';
import { serve } from '../node-express-compression/route.mjs';

serve({ express, compression, flush: true });
