import type { ApolloServerPlugin } from '@apollo/server';
import { type DocumentNode, type FieldNode, type GraphQLObjectType, type GraphQLSchema, getNamedType, isLeafType, isObjectType, Kind, TypeInfo, visit, visitWithTypeInfo } from 'graphql';

/** Object types whose fields are all leaves (no arguments needed) may be selected bare: `metadata` means every field of it. */
function leafFieldsOf(type: GraphQLObjectType): string[] | null {
  const fields = Object.values(type.getFields());
  const leaves = fields.every((field) => isLeafType(getNamedType(field.type)) && field.args.every((argument) => argument.defaultValue !== undefined || !String(argument.type).endsWith('!')));
  return leaves ? fields.map((field) => field.name) : null;
}

export function expandBareSelections(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode) {
        if (node.selectionSet) return undefined;
        const type = getNamedType(typeInfo.getType());
        const names = type && isObjectType(type) ? leafFieldsOf(type) : null;
        if (!names) return undefined;
        return { ...node, selectionSet: { kind: Kind.SELECTION_SET, selections: names.map((name) => ({ kind: Kind.FIELD, name: { kind: Kind.NAME, value: name } })) } };
      },
    }),
  );
}

/**
 * The seeds select `metadata` and `error` both bare and with sub-fields. Rewriting the parsed document
 * before validation accepts both; Apollo caches the rewritten document, so repeats cost nothing.
 */
export function expandBareSelectionsPlugin(schema: GraphQLSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async parsingDidStart(requestContext) {
          return async (error) => {
            if (error || !requestContext.document) return;
            (requestContext as { document: DocumentNode }).document = expandBareSelections(schema, requestContext.document);
          };
        },
      };
    },
  };
}
