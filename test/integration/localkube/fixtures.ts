/** Shared manifests for the localkube conformance tests. */
export const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd], categories: [all]}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    selectableFields:
    - jsonPath: .spec.mode
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Mode, type: string, jsonPath: .spec.mode, priority: 1}
    - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            description: The desired widget.
            properties:
              size: {type: integer, minimum: 1, default: 1, description: How big the widget is.}
              mode: {type: string, enum: [fast, slow]}
              tags: {type: array, items: {type: string}}
          status:
            type: object
            properties:
              observedGeneration: {type: integer}
              conditions:
                type: array
                items:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
`;

export function widget(
  name: string,
  spec: Record<string, unknown> = { size: 2 },
  namespace = "default",
): string {
  return JSON.stringify({
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name, namespace },
    spec,
  });
}
