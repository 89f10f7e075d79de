# Retract a link an editor judges too weak: Goal 4 names international organizations only in passing
# ("work with other international organizations"). The fact and its evidence are removed together.
PREFIX ev: <https://w3id.org/wcokg/graph/evidence>

DELETE DATA { wco:goal-4 wcokg:involvesStakeholder wco:international-organizations } ;

DELETE { GRAPH ev: { ?annotation ?p ?o . ?statement ?q ?r } }
WHERE {
  GRAPH ev: {
    ?statement rdf:subject wco:goal-4 ;
               rdf:predicate wcokg:involvesStakeholder ;
               rdf:object wco:international-organizations .
    ?annotation oa:hasBody ?statement ;
                ?p ?o .
    ?statement ?q ?r .
  }
}
