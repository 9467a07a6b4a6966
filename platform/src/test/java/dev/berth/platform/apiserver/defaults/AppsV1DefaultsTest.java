package dev.berth.platform.apiserver.defaults;

import static dev.berth.platform.apiserver.defaults.Defaulting.at;
import static dev.berth.platform.apiserver.defaults.Defaulting.defaulted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * apps/v1 defaulting, transcribed from kubernetes {@code pkg/apis/apps/v1/defaults_test.go}; each row names the upstream
 * test and case (upstream's unnamed cases by their position) and checks one field of the defaulted object.
 */
class AppsV1DefaultsTest {

    private static final String TEMPLATE = "'template':{'metadata':{'labels':{'foo':'bar'}},'spec':{'containers':[{'name':'c','image':'app:1'}]}}";

    @ParameterizedTest(name = "{0}: {2} = {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            TestSetDefaultDeployment #1 empty spec                 | {}                                                                                  | /spec/replicas                              | 1
            TestSetDefaultDeployment #1 empty spec                 | {}                                                                                  | /spec/strategy/type                         | RollingUpdate
            TestSetDefaultDeployment #1 empty spec                 | {}                                                                                  | /spec/strategy/rollingUpdate/maxSurge       | 25%
            TestSetDefaultDeployment #1 empty spec                 | {}                                                                                  | /spec/strategy/rollingUpdate/maxUnavailable | 25%
            TestSetDefaultDeployment #1 empty spec                 | {}                                                                                  | /spec/revisionHistoryLimit                  | 10
            TestSetDefaultDeployment #1 empty spec                 | {}                                                                                  | /spec/progressDeadlineSeconds               | 600
            TestSetDefaultDeployment #1 template defaulted         | {TEMPLATE}                                                                          | /spec/template/spec/restartPolicy           | Always
            TestSetDefaultDeployment #1 template defaulted         | {TEMPLATE}                                                                          | /spec/template/spec/dnsPolicy               | ClusterFirst
            TestSetDefaultDeployment #1 template defaulted         | {TEMPLATE}                                                                          | /spec/template/spec/securityContext         | {}
            TestSetDefaultDeployment #1 template defaulted         | {TEMPLATE}                                                                          | /spec/template/spec/terminationGracePeriodSeconds | 30
            TestSetDefaultDeployment #1 template defaulted         | {TEMPLATE}                                                                          | /spec/template/spec/schedulerName           | default-scheduler
            TestSetDefaultDeployment #2 maxSurge given             | {'replicas':5,'strategy':{'rollingUpdate':{'maxSurge':5}}}                          | /spec/replicas                              | 5
            TestSetDefaultDeployment #2 maxSurge given             | {'replicas':5,'strategy':{'rollingUpdate':{'maxSurge':5}}}                          | /spec/strategy/rollingUpdate/maxSurge       | 5
            TestSetDefaultDeployment #2 maxSurge given             | {'replicas':5,'strategy':{'rollingUpdate':{'maxSurge':5}}}                          | /spec/strategy/rollingUpdate/maxUnavailable | 25%
            TestSetDefaultDeployment #2 maxSurge given             | {'replicas':5,'strategy':{'rollingUpdate':{'maxSurge':5}}}                          | /spec/strategy/type                         | RollingUpdate
            TestSetDefaultDeployment #3 RollingUpdate, no params   | {'replicas':3,'strategy':{'type':'RollingUpdate'}}                                  | /spec/strategy/rollingUpdate/maxSurge       | 25%
            TestSetDefaultDeployment #3 RollingUpdate, no params   | {'replicas':3,'strategy':{'type':'RollingUpdate'}}                                  | /spec/strategy/rollingUpdate/maxUnavailable | 25%
            TestSetDefaultDeployment #4 Recreate, history 0        | {'replicas':5,'strategy':{'type':'Recreate'},'revisionHistoryLimit':0}              | /spec/strategy/rollingUpdate                | ""
            TestSetDefaultDeployment #4 Recreate, history 0        | {'replicas':5,'strategy':{'type':'Recreate'},'revisionHistoryLimit':0}              | /spec/revisionHistoryLimit                  | 0
            TestSetDefaultDeployment #4 Recreate, history 0        | {'replicas':5,'strategy':{'type':'Recreate'},'revisionHistoryLimit':0}              | /spec/progressDeadlineSeconds               | 600
            TestSetDefaultDeployment #5 Recreate, deadline 30      | {'strategy':{'type':'Recreate'},'progressDeadlineSeconds':30,'revisionHistoryLimit':2} | /spec/progressDeadlineSeconds            | 30
            TestSetDefaultDeployment #5 Recreate, deadline 30      | {'strategy':{'type':'Recreate'},'progressDeadlineSeconds':30,'revisionHistoryLimit':2} | /spec/revisionHistoryLimit               | 2
            """)
    void deployment(String upstreamCase, String spec, String pointer, String expected) {
        JsonNode d = defaulted(Deployment.class, "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},'spec':" + spec.replace("{TEMPLATE}", "{" + TEMPLATE + "}") + "}");
        assertThat(at(d, pointer)).as(upstreamCase).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: {2} = {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            TestSetDefaultReplicaSetReplicas #1 unset          | {TEMPLATE}                                                       | /spec/replicas                                          | 1
            TestSetDefaultReplicaSetReplicas #2 zero kept      | {'replicas':0,TEMPLATE}                                          | /spec/replicas                                          | 0
            TestSetDefaultReplicaSetReplicas #3 three kept     | {'replicas':3,TEMPLATE}                                          | /spec/replicas                                          | 3
            TestDefaultRequestIsNotSetForReplicaSet            | {'template':{'spec':{'containers':[{'name':'c','image':'i','resources':{'limits':{'cpu':'100m'}}}]}}} | /spec/template/spec/containers/0/resources/requests | ""
            """)
    void replicaSet(String upstreamCase, String spec, String pointer, String expected) {
        JsonNode rs = defaulted(ReplicaSet.class, "{'apiVersion':'apps/v1','kind':'ReplicaSet','metadata':{'name':'r'},'spec':" + spec.replace("TEMPLATE", TEMPLATE) + "}");
        assertThat(at(rs, pointer)).as(upstreamCase).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: {2} = {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            labels and default update strategy                                          | {TEMPLATE}                                                                             | /spec/replicas                                     | 1
            labels and default update strategy                                          | {TEMPLATE}                                                                             | /spec/podManagementPolicy                          | OrderedReady
            labels and default update strategy                                          | {TEMPLATE}                                                                             | /spec/updateStrategy/type                          | RollingUpdate
            labels and default update strategy                                          | {TEMPLATE}                                                                             | /spec/updateStrategy/rollingUpdate/partition       | 0
            labels and default update strategy                                          | {TEMPLATE}                                                                             | /spec/revisionHistoryLimit                         | 10
            labels and default update strategy                                          | {TEMPLATE}                                                                             | /spec/template/spec/restartPolicy                  | Always
            Alternate update strategy                                                   | {'updateStrategy':{'type':'OnDelete'},TEMPLATE}                                        | /spec/updateStrategy/rollingUpdate                 | ""
            Alternate update strategy                                                   | {'updateStrategy':{'type':'OnDelete'},TEMPLATE}                                        | /spec/updateStrategy/type                          | OnDelete
            Parallel pod management policy                                              | {'podManagementPolicy':'Parallel',TEMPLATE}                                            | /spec/podManagementPolicy                          | Parallel
            UpdateStrategy.RollingUpdate.Partition is not lost when UpdateStrategy.Type is not set | {'updateStrategy':{'rollingUpdate':{'partition':42}},TEMPLATE}              | /spec/updateStrategy/rollingUpdate/partition       | 42
            UpdateStrategy.RollingUpdate.Partition is not lost when UpdateStrategy.Type is not set | {'updateStrategy':{'rollingUpdate':{'partition':42}},TEMPLATE}              | /spec/updateStrategy/type                          | RollingUpdate
            PVC delete policy enabled, no policy specified                              | {TEMPLATE}                                                                             | /spec/persistentVolumeClaimRetentionPolicy/whenDeleted | Retain
            PVC delete policy enabled, no policy specified                              | {TEMPLATE}                                                                             | /spec/persistentVolumeClaimRetentionPolicy/whenScaled  | Retain
            PVC delete policy enabled, with scaledown policy specified                  | {'persistentVolumeClaimRetentionPolicy':{'whenScaled':'Delete'},TEMPLATE}              | /spec/persistentVolumeClaimRetentionPolicy/whenScaled  | Delete
            PVC delete policy enabled, with scaledown policy specified                  | {'persistentVolumeClaimRetentionPolicy':{'whenScaled':'Delete'},TEMPLATE}              | /spec/persistentVolumeClaimRetentionPolicy/whenDeleted | Retain
            PVC delete policy disabled, with set deletion policy specified              | {'persistentVolumeClaimRetentionPolicy':{'whenDeleted':'Delete'},TEMPLATE}             | /spec/persistentVolumeClaimRetentionPolicy/whenScaled  | Retain
            MaxUnavailable enabled, with non default maxUnavailable specified           | {'updateStrategy':{'rollingUpdate':{'partition':42,'maxUnavailable':3}},TEMPLATE}      | /spec/updateStrategy/rollingUpdate/maxUnavailable  | 3
            zz_generated SetDefaults_PersistentVolumeClaim on volumeClaimTemplates      | {'volumeClaimTemplates':[{'metadata':{'name':'data'}}],TEMPLATE}                       | /spec/volumeClaimTemplates/0/status/phase          | Pending
            zz_generated SetDefaults_PersistentVolumeClaimSpec on volumeClaimTemplates  | {'volumeClaimTemplates':[{'metadata':{'name':'data'},'spec':{}}],TEMPLATE}             | /spec/volumeClaimTemplates/0/spec/volumeMode       | Filesystem
            zz_generated SetDefaults_PersistentVolumeClaimSpec on volumeClaimTemplates  | {'volumeClaimTemplates':[{'metadata':{'name':'data'},'spec':{'volumeMode':'Block'}}],TEMPLATE} | /spec/volumeClaimTemplates/0/spec/volumeMode | Block
            """)
    void statefulSet(String upstreamCase, String spec, String pointer, String expected) {
        JsonNode sts = defaulted(StatefulSet.class, "{'apiVersion':'apps/v1','kind':'StatefulSet','metadata':{'name':'s'},'spec':" + spec.replace("TEMPLATE", TEMPLATE) + "}");
        assertThat(at(sts, pointer)).as("TestSetDefaultStatefulSet/" + upstreamCase).isEqualTo(expected);
    }
}
