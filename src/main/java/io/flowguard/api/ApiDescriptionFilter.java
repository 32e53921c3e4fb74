package io.flowguard.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Completes the API description at {@code /openapi} (registered with {@code mp.openapi.filter}):
 * <ul>
 * <li>{@code X-Request-Id}, which the edge puts on every answer (problems and 304s included), is
 *     declared here once instead of on each response the resources annotate;</li>
 * <li>a parameter or header given by reference ({@code @Parameter(ref = "Limit")}) is the
 *     reference alone: SmallRye adds what it infers from the Java parameter ({@code type: string}
 *     for a number read by hand) and a default {@code style} beside the {@code $ref}, which
 *     OpenAPI 3.0 ignores and linters refuse.</li>
 * </ul>
 */
public class ApiDescriptionFilter implements OASFilter {

    /** The response header every answer carries, and the name of its component in {@code META-INF/openapi.yml}. */
    static final String REQUEST_ID = "X-Request-Id";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        List<Operation> operations = openAPI.getPaths() == null ? List.of()
                : openAPI.getPaths().getPathItems().values().stream()
                        .flatMap(path -> path.getOperations().values().stream()).toList();
        for (Operation operation : operations) {
            if (operation.getParameters() != null) {
                operation.setParameters(operation.getParameters().stream()
                        .map(p -> p.getRef() == null ? p : OASFactory.createParameter().ref(p.getRef())).toList());
            }
        }
        Map<String, APIResponse> shared = openAPI.getComponents() == null ? null
                : openAPI.getComponents().getResponses();
        Stream.concat(operations.stream().map(Operation::getResponses).filter(Objects::nonNull)
                                .flatMap(responses -> responses.getAPIResponses().values().stream()),
                        shared == null ? Stream.empty() : shared.values().stream())
                .filter(response -> response.getRef() == null) // a $ref takes no siblings; its target gets it
                .forEach(ApiDescriptionFilter::complete);
    }

    private static void complete(APIResponse response) {
        Map<String, Header> headers = new LinkedHashMap<>();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, h) -> headers.put(name, h.getRef() == null ? h : reference(h.getRef())));
        }
        headers.putIfAbsent(REQUEST_ID, reference(REQUEST_ID));
        response.setHeaders(headers);
    }

    /** A header by reference alone (SmallRye's model gives every header a default style). */
    private static Header reference(String ref) {
        return OASFactory.createHeader().ref(ref).style(null);
    }
}
