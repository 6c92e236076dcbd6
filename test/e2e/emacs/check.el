;;; check.el --- drive the mmlens language server from Emacs 28 + eglot 1.9 in batch mode  -*- lexical-binding: t -*-
;;
;;   emacs -Q --batch -l check.el      with MMLENS_EMACS_CONFIG naming a JSON file:
;;   {"server", "node", "file", "result", "timeoutMs", "minDiagnostics", "hover": {"line", "character"}}
;; Positions are 0-based (LSP).  Writes what arrived as JSON to "result" for the Node test.
;; eglot 1.9 has no code lens support: the lenses are requested over eglot's own connection.

;; -Q leaves out Debian's site packages; eglot needs its newer project/xref/seq from there.
(dolist (dir (directory-files "/usr/share/emacs/site-lisp/elpa" t "^[a-z]"))
  (add-to-list 'load-path dir))
(require 'json)
(require 'cl-lib)
(require 'eglot)
(require 'flymake)

(defvar mmlens-config (let ((json-object-type 'alist) (json-key-type 'symbol))
                        (json-read-file (getenv "MMLENS_EMACS_CONFIG"))))
(defun mmlens-config (key) (alist-get key mmlens-config))

(defvar mmlens-result (list (cons 'emacs emacs-version) (cons 'eglot "1.9") (cons 'errors [])))
(defun mmlens-put (key value) (setf (alist-get key mmlens-result) value))
(defun mmlens-error (message)
  (mmlens-put 'errors (vconcat (alist-get 'errors mmlens-result) (list message))))

(defun mmlens-wait (seconds predicate)
  "Process events until PREDICATE holds or SECONDS pass; return PREDICATE's last value."
  (let ((deadline (+ (float-time) seconds)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

(defun mmlens-diagnostics ()
  "Flymake's diagnostics in the current buffer, as alists."
  (mapcar (lambda (d)
            (let ((lsp (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d))))
              (list (cons 'line (1- (line-number-at-pos (flymake-diagnostic-beg d))))
                    (cons 'text (flymake-diagnostic-text d))
                    (cons 'type (symbol-name (flymake-diagnostic-type d)))
                    (cons 'code (plist-get lsp :code)))))
          (flymake-diagnostics)))

(defun mmlens-run ()
  (let* ((timeout (/ (mmlens-config 'timeoutMs) 1000.0))
         (file (mmlens-config 'file))
         (eglot-sync-connect t)
         (eglot-connect-timeout timeout)
         (flymake-no-changes-timeout 0.1)
         server)
    (find-file file)
    (c-mode)
    (setq server (eglot '(c-mode) (cons 'transient (file-name-directory file)) 'eglot-lsp-server
                        (list (mmlens-config 'node) (mmlens-config 'server) "--stdio") "c"))
    (mmlens-put 'connected (and server (jsonrpc-running-p server) t))
    (unless (eglot-managed-p) (error "eglot does not manage %s" file))
    (flymake-start)
    (mmlens-wait timeout (lambda () (>= (length (flymake-diagnostics)) (mmlens-config 'minDiagnostics))))
    (mmlens-put 'diagnostics (vconcat (mmlens-diagnostics)))
    ;; Hover, rendered by eglot's own hover code; retried while the server is busy.
    (let ((hover (mmlens-config 'hover)))
      (goto-char (point-min))
      (forward-line (alist-get 'line hover))
      (forward-char (alist-get 'character hover))
      (mmlens-put 'hover
                  (mmlens-wait timeout
                               (lambda ()
                                 (let ((answer (jsonrpc-request server :textDocument/hover
                                                                (eglot--TextDocumentPositionParams))))
                                   (and answer (plist-get answer :contents)
                                        (let ((text (eglot--hover-info (plist-get answer :contents))))
                                          (and text (not (string-empty-p (string-trim text))) text))))))))
    (mmlens-put 'codeLenses
                (vconcat (mapcar (lambda (lens)
                                   (let ((resolved (if (plist-get lens :command) lens
                                                     (jsonrpc-request server :codeLens/resolve lens))))
                                     (list (cons 'line (plist-get (plist-get (plist-get lens :range) :start) :line))
                                           (cons 'title (plist-get (plist-get resolved :command) :title)))))
                                 (jsonrpc-request server :textDocument/codeLens
                                                  (list :textDocument (eglot--TextDocumentIdentifier))))))
    (eglot-shutdown server)
    (mmlens-put 'shutDown (not (jsonrpc-running-p server)))))

(condition-case err
    (mmlens-run)
  (error (mmlens-error (format "check.el: %S" err))))
(with-temp-file (mmlens-config 'result)
  (insert (json-encode mmlens-result)))
(kill-emacs 0)
