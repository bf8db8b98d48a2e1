// NestJS (platform-express) with an `@Sse(':id')` route returning an Observable of MessageEvent
// ({ data, id, type, retry, comment }), serialised by Nest's own SseStream. Plain JavaScript, no
// TypeScript build: the decorators are applied with Reflect.decorate, exactly as `tsc` emits them.
// Nest has no keep-alive, so an open stream emits `{ comment: '' }` every second (Nest's own comment
// support); it has no resume mechanism, so Last-Event-ID comes in through `@Headers()`.
// Usage: PORT=3000 node server.mjs corpus.json
import 'reflect-metadata';
import { Controller, Headers, Module, NotFoundException, Param, Sse } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Observable } from 'rxjs';
import { HOST, PORT, isDelay, itemsAfter, loadServerFixtures, sleep } from '../_shared/corpus.mjs';

const fixtures = loadServerFixtures(process.argv[2]);

const toMessageEvent = ({ id, event, data, retry, comment }) => ({ data, id, type: event, retry, comment });

class EventsController {
  stream(id, lastEventId) {
    const fixture = fixtures.get(id);
    if (!fixture) throw new NotFoundException();
    return new Observable((subscriber) => {
      let stopped = false;
      let ping;
      (async () => {
        for (const item of itemsAfter(fixture, lastEventId)) {
          if (stopped) return;
          if (isDelay(item)) await sleep(item.delay);
          else subscriber.next(toMessageEvent(item));
        }
        if (fixture.end !== 'open') return subscriber.complete();
        ping = setInterval(() => subscriber.next({ comment: '' }), 1000);
      })().catch((error) => subscriber.error(error));
      return () => {
        stopped = true;
        clearInterval(ping);
      };
    });
  }
}

// What `@Controller() class … { @Sse(':id') stream(@Param('id') id, @Headers('last-event-id') last) }` compiles to.
const param = (index, decorator) => (target, key) => decorator(target, key, index);
Object.defineProperty(
  EventsController.prototype,
  'stream',
  Reflect.decorate(
    [Sse(':id'), param(0, Param('id')), param(1, Headers('last-event-id'))],
    EventsController.prototype,
    'stream',
    Object.getOwnPropertyDescriptor(EventsController.prototype, 'stream'),
  ),
);
const Events = Reflect.decorate([Controller()], EventsController);

class AppModule {}
const App = Reflect.decorate([Module({ controllers: [Events] })], AppModule);

const app = await NestFactory.create(App, { logger: ['error', 'warn'] });
await app.listen(PORT, HOST);
console.log(`nest listening on http://${HOST}:${PORT}`);
