// Ktor's SSE plugin as its documentation writes it: install(SSE), a `sse("/{fixtureId}") { … }`
// route, every message sent as `send(ServerSentEvent(data, event, id, retry, comments))`, pauses
// with `delay`, and the plugin's own heartbeat (period 1 s, its default event) keeping an open
// stream alive. Ktor writes every byte. Ktor has no resume mechanism (Last-Event-ID is read from
// `call.request.headers`). A fixture that does not exist is answered 404 by an application
// plugin before routing, because the sse route has committed the event-stream headers when it
// runs the handler. Usage: PORT=3000 java -jar target/app.jar corpus.json
package sse.adapter.ktor

import io.ktor.http.HttpStatusCode
import io.ktor.server.application.createApplicationPlugin
import io.ktor.server.application.install
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import io.ktor.server.request.path
import io.ktor.server.response.respondText
import io.ktor.server.routing.routing
import io.ktor.server.sse.SSE
import io.ktor.server.sse.heartbeat
import io.ktor.server.sse.sse
import io.ktor.sse.ServerSentEvent
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import sse.corpus.Corpus
import sse.corpus.Expressible
import kotlin.time.Duration.Companion.seconds

fun main(args: Array<String>) {
    // ServerSentEvent takes every field, each optional: everything is expressible.
    val corpus = Corpus.fromArgs(args, Expressible.everything())
    val server = embeddedServer(Netty, port = Corpus.port(), host = Corpus.HOST) {
        install(SSE)
        install(createApplicationPlugin("NotExpressible") {
            onCall { call ->
                val answer = corpus.answer(call.request.path().removePrefix("/"), call.request.headers["Last-Event-ID"])
                if (answer.notFound() != null) call.respondText(answer.notFound(), status = HttpStatusCode.NotFound)
            }
        })
        routing {
            sse("/{fixtureId}") {
                val answer = corpus.answer(call.parameters["fixtureId"]!!, call.request.headers["Last-Event-ID"])
                heartbeat { period = 1.seconds }
                for (item in answer.items()) {
                    if (item.isDelay) {
                        delay(item.delayMs())
                    } else {
                        send(ServerSentEvent(item.data(), item.event(), item.id(), item.retry(), item.comment()))
                    }
                }
                if (answer.open()) awaitCancellation()
            }
        }
    }
    server.start(wait = false)
    println("kotlin-ktor listening on http://${Corpus.HOST}:${Corpus.port()}")
    Thread.currentThread().join()
}
