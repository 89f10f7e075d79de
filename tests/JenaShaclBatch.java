// Validate many data files against one shapes file in one JVM with Jena SHACL (what `shacl validate` does for
// one file): java -cp JENA tests/JenaShaclBatch.java SHAPES DATA... writes DATA.report.ttl beside each DATA.
import java.io.FileOutputStream;
import java.io.OutputStream;
import org.apache.jena.graph.Graph;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;

public class JenaShaclBatch {
    public static void main(String[] args) throws Exception {
        Shapes shapes = Shapes.parse(RDFDataMgr.loadGraph(args[0]));
        for (int i = 1; i < args.length; i++) {
            Graph data = RDFDataMgr.loadGraph(args[i]);
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            try (OutputStream out = new FileOutputStream(args[i] + ".report.ttl")) {
                RDFDataMgr.write(out, report.getModel(), Lang.TURTLE);
            }
        }
    }
}
