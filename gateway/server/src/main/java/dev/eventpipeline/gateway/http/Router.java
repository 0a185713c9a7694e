package dev.eventpipeline.gateway.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Dispatches requests to {@link Route}s; unknown paths get 404 and known paths with another method
 * 405 with {@code Allow}, both as problem details. The route table is also what the OpenAPI
 * consistency test compares the document against.
 */
public final class Router extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String template, Route.Handler handler) {
        routes.add(new Route(method, template, handler));
        return this;
    }

    /**
     * An endpoint served by a Jetty handler (started and stopped with this router); it stays in the
     * route table, so 404/405 and the OpenAPI check know it.
     */
    public Router delegate(String method, String template, Handler delegate) {
        routes.add(new Route(method, template, null, delegate));
        if (!getBeans(Handler.class).contains(delegate)) {
            addBean(delegate, true);
        }
        return this;
    }

    @Override
    protected void doStart() throws Exception {
        for (Handler h : getBeans(Handler.class)) {
            h.setServer(getServer());
        }
        super.doStart();
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        for (Route route : routes) {
            if (route.delegate() != null && route.method().equals(request.getMethod()) && route.match(path) != null) {
                return route.delegate().handle(request, response, callback);
            }
        }
        Reply reply;
        try {
            reply = dispatch(request, path);
        } catch (Exception e) {
            log.warn("{} {} failed", request.getMethod(), path, e);
            reply = Problem.internal(path, e);
        }
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType() + "; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        Content.Sink.write(response, true, reply.body(), callback);
        return true;
    }

    Reply dispatch(Request request, String path) throws Exception {
        List<Route> onPath = new ArrayList<>();
        for (Route route : routes) {
            Map<String, String> params = route.match(path);
            if (params == null) {
                continue;
            }
            if (route.method().equals(request.getMethod())) {
                return route.handler().handle(request, params);
            }
            onPath.add(route);
        }
        if (onPath.isEmpty()) {
            return Problem.notFound(path);
        }
        String allowed = onPath.stream().map(Route::method).distinct().collect(Collectors.joining(", "));
        return Problem.methodNotAllowed(request.getMethod(), path, allowed);
    }
}
