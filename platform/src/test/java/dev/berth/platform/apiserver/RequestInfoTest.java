package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kube-apiserver's {@code requestinfo_test.go}: {@code TestGetAPIRequestInfo} (success and error cases) and
 * {@code TestGetNonAPIRequestInfo}, row for row. Where a row is on the {@code namespaces} resource itself the
 * expected namespace is empty (Berth's Namespace is cluster-scoped; upstream puts the name there for some verbs).
 */
class RequestInfoTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # method | url                                                      | verb             | prefix | group      | version | namespace | resource   | sub      | name          | parts
            GET    | /api/v1/namespaces                                          | list             | api    |            | v1      |           | namespaces |          |               | namespaces
            GET    | /api/v1/namespaces/other                                    | get              | api    |            | v1      |           | namespaces |          | other         | namespaces/other
            GET    | /api/v1/namespaces/other/pods                               | list             | api    |            | v1      | other     | pods       |          |               | pods
            GET    | /api/v1/namespaces/other/pods/foo                           | get              | api    |            | v1      | other     | pods       |          | foo           | pods/foo
            HEAD   | /api/v1/namespaces/other/pods/foo                           | get              | api    |            | v1      | other     | pods       |          | foo           | pods/foo
            GET    | /api/v1/pods                                                | list             | api    |            | v1      |           | pods       |          |               | pods
            HEAD   | /api/v1/pods                                                | list             | api    |            | v1      |           | pods       |          |               | pods
            PATCH  | /api/v1/namespaces/new-namespace                            | patch            | api    |            | v1      |           | namespaces |          | new-namespace | namespaces/new-namespace
            GET    | /api/v1/proxy/namespaces/other/pods/foo                     | proxy            | api    |            | v1      | other     | pods       |          | foo           | pods/foo
            GET    | /api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource | proxy      | api    |            | v1      | other     | pods       |          | foo           | pods/foo/subpath/not/a/subresource
            GET    | /api/v1/watch/pods                                          | watch            | api    |            | v1      |           | pods       |          |               | pods
            GET    | /api/v1/pods?watch=true                                     | watch            | api    |            | v1      |           | pods       |          |               | pods
            GET    | /api/v1/pods?watch=false                                    | list             | api    |            | v1      |           | pods       |          |               | pods
            GET    | /api/v1/watch/namespaces/other/pods                         | watch            | api    |            | v1      | other     | pods       |          |               | pods
            GET    | /api/v1/namespaces/other/pods?watch=1                       | watch            | api    |            | v1      | other     | pods       |          |               | pods
            GET    | /api/v1/namespaces/other/pods?watch=0                       | list             | api    |            | v1      | other     | pods       |          |               | pods
            GET    | /api/v1/namespaces/other/pods/foo/status                    | get              | api    |            | v1      | other     | pods       | status   | foo           | pods/foo/status
            GET    | /api/v1/namespaces/other/pods/foo/proxy/subpath             | get              | api    |            | v1      | other     | pods       | proxy    | foo           | pods/foo/proxy/subpath
            PUT    | /api/v1/namespaces/other/finalize                           | update           | api    |            | v1      |           | namespaces | finalize | other         | namespaces/other/finalize
            PUT    | /api/v1/namespaces/other/status                             | update           | api    |            | v1      |           | namespaces | status   | other         | namespaces/other/status
            PATCH  | /api/v1/namespaces/other/pods/foo                           | patch            | api    |            | v1      | other     | pods       |          | foo           | pods/foo
            DELETE | /api/v1/namespaces/other/pods/foo                           | delete           | api    |            | v1      | other     | pods       |          | foo           | pods/foo
            POST   | /api/v1/namespaces/other/pods                               | create           | api    |            | v1      | other     | pods       |          |               | pods
            DELETE | /api/v1/nodes                                               | deletecollection | api    |            | v1      |           | nodes      |          |               | nodes
            DELETE | /api/v1/namespaces                                          | deletecollection | api    |            | v1      |           | namespaces |          |               | namespaces
            DELETE | /api/v1/namespaces/other/pods                               | deletecollection | api    |            | v1      | other     | pods       |          |               | pods
            DELETE | /apis/extensions/v1/namespaces/other/pods                   | deletecollection | apis   | extensions | v1      | other     | pods       |          |               | pods
            POST   | /apis/extensions/v1/namespaces/other/pods                   | create           | apis   | extensions | v1      | other     | pods       |          |               | pods
            POST   | /apis/extensions/v1beta3/namespaces/other/pods              | create           | apis   | extensions | v1beta3 | other     | pods       |          |               | pods
            """)
    void successCases(String method, String url, String verb, String prefix, String group, String version, String namespace,
            String resource, String subresource, String name, String parts) {
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        String watch = url.contains("?watch=") ? url.substring(url.indexOf("?watch=") + 7) : null;

        RequestInfo info = RequestInfo.of(method, path, watch);

        assertThat(info.resourceRequest()).isTrue();
        assertThat(info.verb()).isEqualTo(verb);
        assertThat(info.apiPrefix()).isEqualTo(prefix);
        assertThat(info.group()).isEqualTo(orEmpty(group));
        assertThat(info.version()).isEqualTo(version);
        assertThat(info.namespace()).isEqualTo(orEmpty(namespace));
        assertThat(info.resource()).isEqualTo(resource);
        assertThat(info.subresource()).isEqualTo(orEmpty(subresource));
        assertThat(info.name()).isEqualTo(orEmpty(name));
        assertThat(info.parts()).isEqualTo(Arrays.asList(parts.split("/")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no resource path (error case)                     | /                                              | false
            just apiversion (error case)                      | /api/version/                                  | false
            just prefix, group, version (error case)          | /apis/group/version/                           | false
            bad prefix (error case)                           | /badprefix/version/resource                    | false
            missing api group (error case)                    | /apis/version/resource                         | false
            simple groupless                                  | /api/version/resource                          | true
            simple group                                      | /apis/group/version/resource/name/subresource  | true
            more steps                                        | /api/version/resource/name/subresource         | true
            group list                                        | /apis/batch/v1/job                             | true
            group get                                         | /apis/batch/v1/job/foo                         | true
            group subresource                                 | /apis/batch/v1/job/foo/scale                   | true
            bad root                                          | /not-api/version/resource                      | false
            group without enough steps                        | /apis/extensions/v1beta1                       | false
            group without enough steps 2                      | /apis/extensions/v1beta1/                      | false
            not enough steps                                  | /api/version                                   | false
            one step                                          | /api                                           | false
            zero step                                         | /                                              | false
            """)
    void resourceOrNot(String upstreamCase, String url, boolean resourceRequest) {
        assertThat(RequestInfo.of("GET", url, null).resourceRequest()).as(upstreamCase).isEqualTo(resourceRequest);
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/watch", "/apis/apps/v1/watch"})
    void aSpecialVerbWithoutAResourceIsAnError(String url) {
        assertThatThrownBy(() -> RequestInfo.of("GET", url, null)).hasMessageContaining("unable to determine kind and namespace");
    }

    @ParameterizedTest
    @CsvSource({"/apis/apps/v1/namespaces/berth/deployments/web/scale, apps/v1", "/api/v1/nodes/n1/status, v1"})
    void groupVersion(String url, String expected) {
        assertThat(RequestInfo.of("GET", url, null).groupVersion()).isEqualTo(expected);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

}
