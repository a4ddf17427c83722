// EPUBCheck 4.2.6 on many books in one JVM (a JVM start costs seconds; the
// corpus test checks about twenty books). Run as a single-file program:
//   java -cp /usr/share/java/epubcheck.jar EpubCheckBatch.java BOOK.epub...
// Prints, for each book, its messages (EPUBCheck's own report, on stderr) and
// one line on stdout: "EPUBCHECK<TAB>path<TAB>fatals<TAB>errors<TAB>warnings".
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class EpubCheckBatch {
    public static void main(String[] args) {
        for (String path : args) {
            DefaultReportImpl report = new DefaultReportImpl(path);
            new EpubCheck(new File(path), report).doValidate();
            System.out.println("EPUBCHECK\t" + path + "\t" + report.getFatalErrorCount() + "\t"
                    + report.getErrorCount() + "\t" + report.getWarningCount());
        }
    }
}
